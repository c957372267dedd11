/*
 * aarch64 entry: a Linux arm64 Image header (so any VMM that boots Linux loads it), a drop from EL2 to EL1
 * when entered at EL2, the exception vectors, and the guarded single-instruction register accessors.
 * Runs with the MMU off: all code is PC-relative, so the image works wherever it is loaded (4 KiB aligned).
 */
    .section .text.head, "ax"
    .globl _start
_start:
    b       entry                   /* code0 */
    .word   0                       /* code1 */
    .quad   0x80000                 /* text_offset: where QEMU and Linux loaders put it above the RAM base */
    .quad   _image_size             /* image_size, including bss and stacks */
    .quad   0xa                     /* flags: little-endian, 4K pages, may be placed anywhere */
    .quad   0, 0, 0
    .word   0x644d5241              /* "ARM\x64" */
    .word   0

entry:
    mov     x19, x0                 /* the DTB, by the arm64 boot protocol */
    mrs     x1, CurrentEL
    lsr     x1, x1, #2
    cmp     x1, #2
    b.ne    in_el1
    /* EL2: run the agent at EL1, AArch64, no traps; MMU off */
    mov     x1, #(1 << 31)
    msr     hcr_el2, x1
    mov     x1, #0x33ff
    msr     cptr_el2, x1
    mov     x1, #3
    msr     cnthctl_el2, x1
    ldr     x1, =0x30d00800
    msr     sctlr_el1, x1
    mov     x1, #0x3c5              /* EL1h, DAIF masked */
    msr     spsr_el2, x1
    adr     x1, in_el1
    msr     elr_el2, x1
    eret
in_el1:
    adrp    x1, vectors
    add     x1, x1, :lo12:vectors
    msr     vbar_el1, x1
    msr     daifset, #0xf
    isb
    adrp    x1, _stack_top
    add     x1, x1, :lo12:_stack_top
    mov     sp, x1
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    strb    wzr, [x1], #1
    b       1b
2:  mov     x0, x19
    bl      arch_start
3:  wfe
    b       3b

/* ---------------------------------------------------------------- exception vectors */

.macro VECTOR kind
    .balign 0x80
    stp     x0, x1, [sp, #-16]!
    mov     x1, #\kind
    b       exception
.endm

    .balign 0x800
vectors:
    VECTOR 0
    VECTOR 1
    VECTOR 2
    VECTOR 3
    VECTOR 4
    VECTOR 5
    VECTOR 6
    VECTOR 7
    VECTOR 8
    VECTOR 9
    VECTOR 10
    VECTOR 11
    VECTOR 12
    VECTOR 13
    VECTOR 14
    VECTOR 15

/*
 * A synchronous exception taken while executing one of the accessors is the fault the command asked for:
 * record ESR and FAR, set agent_fault_hit, and return to the accessor's caller (the accessors are leaf
 * functions, so x30 still holds the return address). Anything else is reported and the loop restarted.
 */
exception:
    and     x0, x1, #3
    cbnz    x0, unexpected          /* IRQ, FIQ, SError */
    mrs     x0, elr_el1
    adrp    x1, agent_access_start
    add     x1, x1, :lo12:agent_access_start
    cmp     x0, x1
    b.lo    unexpected
    adrp    x1, agent_access_end
    add     x1, x1, :lo12:agent_access_end
    cmp     x0, x1
    b.hs    unexpected
    adrp    x1, agent_fault_info
    add     x1, x1, :lo12:agent_fault_info
    mrs     x0, esr_el1
    str     x0, [x1]
    mrs     x0, far_el1
    str     x0, [x1, #8]
    adrp    x1, agent_fault_hit
    add     x1, x1, :lo12:agent_fault_hit
    mov     x0, #1
    str     x0, [x1]
    msr     elr_el1, x30
    ldp     x0, x1, [sp], #16
    eret
unexpected:
    mov     x0, x1
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    adrp    x4, _stack_top
    add     x4, x4, :lo12:_stack_top
    mov     sp, x4
    msr     daifset, #0xf
    bl      agent_exception
    b       .

/* ---------------------------------------------------------------- guarded accessors */

    .text
    .balign 16
    .globl agent_access_start, agent_access_end
    .globl agent_rd8, agent_rd16, agent_rd32, agent_rd64, agent_wr8, agent_wr16, agent_wr32, agent_wr64
agent_access_start:
agent_rd8:  ldrb    w0, [x0]
            ret
agent_rd16: ldrh    w0, [x0]
            ret
agent_rd32: ldr     w0, [x0]
            ret
agent_rd64: ldr     x0, [x0]
            ret
agent_wr8:  strb    w1, [x0]
            ret
agent_wr16: strh    w1, [x0]
            ret
agent_wr32: str     w1, [x0]
            ret
agent_wr64: str     x1, [x0]
            ret
agent_access_end:

    .section .note.GNU-stack, "", %progbits
