/*
 * Guest code of the KVM target (org.virtiotck.tck.adapter.kvm.KvmGuestStub holds the same bytes).
 *
 * Runs in 64-bit long mode, set up by the host through KVM_SET_SREGS (identity-mapped 2 MiB pages over the
 * first 4 GiB), loaded at guest-physical 0x8000. The host writes a request into the mailbox at 0x7000 and runs
 * the vCPU; the stub performs exactly one access of the requested width to the requested address (which lies in
 * the unmapped virtio-mmio window, so it exits to the host as KVM_EXIT_MMIO), stores a read's result back into
 * the mailbox and writes port 0x7e (KVM_EXIT_IO) to hand control back.
 *
 * Mailbox (little endian): +0 u32 op (0 = nothing, 1 = read, 2 = write), +4 u32 width (1, 2, 4, 8),
 * +8 u64 address, +16 u64 value (write data / read result), +24 u64 interrupts taken by the guest,
 * +32 u64 vector of the last one.
 *
 * Assemble: as --64 -o stub.o kvm_guest_stub.S && objdump -d stub.o
 */
        .code64
        .text
        .globl start
start:                          /* 0x00: program the master 8259: vector base 0x20, only IRQ5 unmasked */
        mov     $0x11, %al
        out     %al, $0x20
        mov     $0x20, %al
        out     %al, $0x21
        mov     $0x04, %al
        out     %al, $0x21
        mov     $0x01, %al
        out     %al, $0x21
        mov     $0xdf, %al
        out     %al, $0x21
        mov     $0xff, %al
        out     %al, $0xa1
        sti
        jmp     done
loop:
        mov     $0x7000, %esi
        mov     (%rsi), %eax
        mov     4(%rsi), %ecx
        mov     8(%rsi), %rdi
        mov     16(%rsi), %rdx
        cmp     $1, %eax
        je      read
        cmp     $2, %eax
        je      write
        jmp     done
read:
        cmp     $1, %ecx
        je      r1
        cmp     $2, %ecx
        je      r2
        cmp     $4, %ecx
        je      r4
        mov     (%rdi), %rax
        jmp     rdone
r1:     movzbl  (%rdi), %eax
        jmp     rdone
r2:     movzwl  (%rdi), %eax
        jmp     rdone
r4:     mov     (%rdi), %eax
rdone:  mov     %rax, 16(%rsi)
        jmp     done
write:
        cmp     $1, %ecx
        je      w1
        cmp     $2, %ecx
        je      w2
        cmp     $4, %ecx
        je      w4
        mov     %rdx, (%rdi)
        jmp     done
w1:     mov     %dl, (%rdi)
        jmp     done
w2:     mov     %dx, (%rdi)
        jmp     done
w4:     mov     %edx, (%rdi)
done:
        out     %al, $0x7e
        jmp     loop

        .balign 16
irq5:                           /* vector 0x25: count, remember the vector, EOI the master 8259 */
        push    %rax
        incq    0x7018
        movq    $0x25, 0x7020
        mov     $0x20, %al
        out     %al, $0x20
        pop     %rax
        iretq

        .balign 16
spurious:                       /* any other PIC vector (spurious IRQ7): ignore */
        iretq
