/*
 * Guest code of the HVF target (org.virtiotck.tck.adapter.hvf.HvfGuestStub builds the same words from its A64
 * encoder; HvfEncodingTest assembles this file with aarch64-linux-gnu-as and compares word for word).
 *
 * EL1, MMU off, DAIF masked; x19 = mailbox (op u32, width u32, address u64, value u64, isr u64).
 * Assemble: aarch64-linux-gnu-as -o stub.o hvf_guest_stub.S && aarch64-linux-gnu-objdump -d stub.o
 */
        .text
loop:   ldr     w1, [x19, #0]
        ldr     w2, [x19, #4]
        ldr     x3, [x19, #8]
        ldr     x4, [x19, #16]
        cmp     w1, #1
        b.eq    read
        cmp     w1, #2
        b.eq    write
        b       done
read:   cmp     w2, #1
        b.eq    r1
        cmp     w2, #2
        b.eq    r2
        cmp     w2, #4
        b.eq    r4
        ldr     x0, [x3]
        b       rdone
r1:     ldrb    w0, [x3]
        b       rdone
r2:     ldrh    w0, [x3]
        b       rdone
r4:     ldr     w0, [x3]
rdone:  str     x0, [x19, #16]
        b       done
write:  cmp     w2, #1
        b.eq    w1
        cmp     w2, #2
        b.eq    w2
        cmp     w2, #4
        b.eq    w4
        str     x4, [x3]
        b       done
w1:     strb    w4, [x3]
        b       done
w2:     strh    w4, [x3]
        b       done
w4:     str     w4, [x3]
done:   mrs     x5, isr_el1
        str     x5, [x19, #24]
        hvc     #0
        b       loop
