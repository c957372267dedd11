/*
 * x86-64 entry points:
 *  - pvh_entry (32-bit, named by the Xen PVH ELF note): QEMU -kernel (pc, microvm), Firecracker, cloud-hypervisor.
 *    EBX holds the hvm_start_info. Builds identity page tables for the low 4 GiB and enters long mode.
 *  - entry64 (the ELF entry): 64-bit Linux-style entry as Firecracker and crosvm use for ELF kernels without
 *    a PVH note; RSI holds the boot_params ("zero page"). Switches to the agent's own page tables and GDT.
 * Also: the exception stubs and the guarded single-instruction register accessors.
 */
#define BOOT_PVH 1
#define BOOT_LINUX64 2

    .section .note.Xen, "a"
    .balign 4
    .long 4                         /* name size */
    .long 4                         /* descriptor size */
    .long 18                        /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long pvh_entry

    .section .text.entry, "ax"
    .code32
    .globl pvh_entry
pvh_entry:
    cli
    cld
    movl    %ebx, boot_info
    movl    $BOOT_PVH, boot_kind
    movl    $pml4, %edi             /* PML4 and PDPT start empty */
    xorl    %eax, %eax
    movl    $2048, %ecx
    rep stosl
    /* page tables: PML4[0] -> PDPT; PDPT[0..3] -> four page directories of 2 MiB pages */
    movl    $pdpt, %eax
    orl     $3, %eax
    movl    %eax, pml4
    movl    $0, pml4 + 4
    xorl    %ecx, %ecx
1:  movl    %ecx, %eax
    shll    $12, %eax
    addl    $pd, %eax
    orl     $3, %eax
    movl    %eax, pdpt(,%ecx,8)
    movl    $0, pdpt + 4(,%ecx,8)
    incl    %ecx
    cmpl    $4, %ecx
    jb      1b
    xorl    %ecx, %ecx
2:  movl    %ecx, %eax
    shll    $21, %eax
    orl     $0x83, %eax             /* present, writable, 2 MiB */
    cmpl    $1536, %ecx             /* 3 GiB and up: devices, uncached */
    jb      3f
    orl     $0x18, %eax
3:  movl    %eax, pd(,%ecx,8)
    movl    $0, pd + 4(,%ecx,8)
    incl    %ecx
    cmpl    $2048, %ecx
    jb      2b
    lgdt    gdt_desc
    movl    %cr4, %eax
    orl     $0x20, %eax             /* PAE */
    movl    %eax, %cr4
    movl    $pml4, %eax
    movl    %eax, %cr3
    movl    $0xc0000080, %ecx       /* EFER.LME */
    rdmsr
    orl     $0x100, %eax
    wrmsr
    movl    %cr0, %eax
    orl     $0x80000001, %eax       /* PG, PE */
    movl    %eax, %cr0
    ljmp    $0x08, $long_mode

    .code64
    .globl entry64
entry64:
    cli
    cld
    movq    %rsi, boot_info(%rip)
    movl    $BOOT_LINUX64, boot_kind(%rip)
    leaq    pml4(%rip), %rdi
    xorl    %eax, %eax
    movl    $2048, %ecx
    rep stosl
    /* the same tables, built in 64-bit code while the VMM's identity map is live */
    leaq    pdpt(%rip), %rax
    orq     $3, %rax
    movq    %rax, pml4(%rip)
    xorq    %rcx, %rcx
    leaq    pdpt(%rip), %rdi
    leaq    pd(%rip), %rdx
1:  movq    %rcx, %rax
    shlq    $12, %rax
    addq    %rdx, %rax
    orq     $3, %rax
    movq    %rax, (%rdi,%rcx,8)
    incq    %rcx
    cmpq    $4, %rcx
    jb      1b
    xorq    %rcx, %rcx
2:  movq    %rcx, %rax
    shlq    $21, %rax
    orq     $0x83, %rax
    cmpq    $1536, %rcx
    jb      3f
    orq     $0x18, %rax
3:  movq    %rax, (%rdx,%rcx,8)
    incq    %rcx
    cmpq    $2048, %rcx
    jb      2b
    leaq    pml4(%rip), %rax
    movq    %rax, %cr3
    lgdt    gdt_desc(%rip)
    leaq    stack_top(%rip), %rsp
    pushq   $0x08
    leaq    long_mode(%rip), %rax
    pushq   %rax
    lretq

long_mode:
    movw    $0x10, %ax
    movw    %ax, %ds
    movw    %ax, %es
    movw    %ax, %ss
    movw    %ax, %fs
    movw    %ax, %gs
    leaq    stack_top(%rip), %rsp
    /* zero bss (boot_info and boot_kind live in .data, the page tables in .pagetables) */
    leaq    __bss_start(%rip), %rdi
    leaq    __bss_end(%rip), %rcx
    subq    %rdi, %rcx
    xorl    %eax, %eax
    rep stosb
    movl    boot_kind(%rip), %edi
    movq    boot_info(%rip), %rsi
    call    arch_start
4:  hlt
    jmp     4b

/* ---------------------------------------------------------------- exceptions */

/* 32 stubs of 16 bytes each; vectors without a CPU error code push a zero so every frame looks alike. */
    .balign 16
    .globl isr_stubs
isr_stubs:
    .set vec, 0
    .rept 32
    .balign 16
    .if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    nop
    nop
    .else
    pushq   $0
    .endif
    pushq   $vec
    jmp     isr_common
    .set vec, vec + 1
    .endr

/*
 * Frame: vector, error code, RIP, CS, RFLAGS, RSP, SS. A fault in an accessor sets agent_fault_hit with the
 * vector, error code and CR2, and resumes at agent_fault_ret, a bare "ret" that returns to the accessor's
 * caller (the accessors fault on their first instruction, so the return address is on top of the stack).
 */
isr_common:
    pushq   %rax
    pushq   %rbx
    movq    32(%rsp), %rax          /* RIP */
    leaq    agent_access_start(%rip), %rbx
    cmpq    %rbx, %rax
    jb      5f
    leaq    agent_access_end(%rip), %rbx
    cmpq    %rbx, %rax
    jae     5f
    movq    16(%rsp), %rax
    movq    %rax, agent_fault_info(%rip)
    movq    24(%rsp), %rax
    movq    %rax, agent_fault_info + 8(%rip)
    movq    %cr2, %rax
    movq    %rax, agent_fault_info + 16(%rip)
    movq    $1, agent_fault_hit(%rip)
    leaq    agent_fault_ret(%rip), %rax
    movq    %rax, 32(%rsp)
    popq    %rbx
    popq    %rax
    addq    $16, %rsp
    iretq
5:  movq    16(%rsp), %rdi          /* vector */
    movq    24(%rsp), %rsi          /* error code */
    movq    32(%rsp), %rdx          /* RIP */
    movq    %cr2, %rcx
    leaq    stack_top(%rip), %rsp
    call    agent_exception
    jmp     4b

/* ---------------------------------------------------------------- guarded accessors */

    .text
    .balign 16
    .globl agent_access_start, agent_access_end, agent_fault_ret
    .globl agent_rd8, agent_rd16, agent_rd32, agent_rd64, agent_wr8, agent_wr16, agent_wr32, agent_wr64
agent_access_start:
agent_rd8:  movzbl  (%rdi), %eax
            ret
agent_rd16: movzwl  (%rdi), %eax
            ret
agent_rd32: movl    (%rdi), %eax
            ret
agent_rd64: movq    (%rdi), %rax
            ret
agent_wr8:  movb    %sil, (%rdi)
            ret
agent_wr16: movw    %si, (%rdi)
            ret
agent_wr32: movl    %esi, (%rdi)
            ret
agent_wr64: movq    %rsi, (%rdi)
            ret
agent_fault_ret:
            ret
agent_access_end:

/* ---------------------------------------------------------------- data */

    .data
    .balign 8
boot_info:  .quad 0
boot_kind:  .long 0
    .balign 16
gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

    .section .pagetables, "aw", @nobits
    .balign 4096
pml4:   .skip 4096
pdpt:   .skip 4096
pd:     .skip 4 * 4096
    .balign 16
    .skip 0x4000
    .globl stack_top
stack_top:

    .section .note.GNU-stack, "", %progbits
