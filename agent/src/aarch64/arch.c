/* aarch64: boot information from the DTB, and the UART (PL011, or an MMIO ns16550a as Firecracker has). */
#include "agent.h"

#ifndef AGENT_UART_BASE
#define AGENT_UART_BASE 0x09000000 /* QEMU virt's PL011, used when there is no DTB */
#endif
#ifndef AGENT_POLL_PAUSE
#define AGENT_POLL_PAUSE 200
#endif
#ifndef AGENT_FALLBACK_DTB
#define AGENT_FALLBACK_DTB 0x40000000 /* where QEMU puts the DTB for a bare-metal ELF */
#endif

volatile uint64_t agent_fault_hit;
volatile uint64_t agent_fault_info[3];

static volatile uint8_t *uart;
static int uart_is_16550;
static struct agent_boot info;

extern char _start[];
extern char _image_end[];

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_LCRH 0x2c
#define PL011_CR 0x30
#define PL011_IMSC 0x38
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)

static inline uint32_t rd32(uint32_t off)
{
    return *(volatile uint32_t *) (uart + off);
}

static inline void wr32(uint32_t off, uint32_t v)
{
    *(volatile uint32_t *) (uart + off) = v;
}

void arch_putc(int c)
{
    if (uart_is_16550) {
        while (!(uart[5] & 0x20)) {
        }
        uart[0] = (uint8_t) c;
        return;
    }
    while (rd32(PL011_FR) & FR_TXFF) {
    }
    wr32(PL011_DR, (uint32_t) c & 0xff);
}

/*
 * Between two empty polls the CPU spins on a register-only loop: a polled UART access makes the VMM take its
 * device lock (QEMU's big lock), and back-to-back polls starve the thread that feeds the UART's input.
 */
static void pause_a_little(void)
{
    for (int i = 0; i < AGENT_POLL_PAUSE; i++) {
        __asm__ volatile("yield");
    }
}

/* Whether the PL011's receive interrupt reaches this CPU through a GICv2, so WFI wakes when input arrives. */
static int rx_wakes_wfi;

int arch_getc(void)
{
    if (uart_is_16550) {
        while (!(uart[5] & 0x01)) {
            pause_a_little();
        }
        return uart[0];
    }
    while (rd32(PL011_FR) & FR_RXFE) {
        if (rx_wakes_wfi) {
            /* interrupts stay masked: a pending one only ends the WFI; the line is level and never acknowledged,
             * so it is pending exactly while the receive FIFO holds data and no wake-up can be lost */
            __asm__ volatile("wfi");
        } else {
            pause_a_little();
        }
    }
    return (int) (rd32(PL011_DR) & 0xff);
}

#ifndef AGENT_NO_WFI
static void gic_route_uart(void)
{
    uint32_t id = info.uart_intid;
    if (!info.gicd || !info.gicc || id < 32 || id >= 1020 || uart_is_16550) {
        return;
    }
    volatile uint8_t *d = (volatile uint8_t *) (uintptr_t) info.gicd;
    volatile uint8_t *c = (volatile uint8_t *) (uintptr_t) info.gicc;
    *(volatile uint32_t *) (d + 0x000) = 1;                       /* GICD_CTLR: forward */
    d[0x400 + id] = 0xa0;                                          /* GICD_IPRIORITYR */
    d[0x800 + id] = 0x01;                                          /* GICD_ITARGETSR: CPU 0 */
    *(volatile uint32_t *) (d + 0x100 + 4 * (id / 32)) = 1u << (id % 32); /* GICD_ISENABLER */
    *(volatile uint32_t *) (c + 0x004) = 0xff;                    /* GICC_PMR */
    *(volatile uint32_t *) (c + 0x000) = 1;                       /* GICC_CTLR */
    wr32(PL011_IMSC, (1u << 4) | (1u << 6));                       /* receive and receive-timeout interrupts */
    rx_wakes_wfi = 1;
    char *p = info.uart + agent_strlen(info.uart);
    p = agent_put_str(p, ",wfi-irq=");
    agent_put_hex(p, id, 1);
}
#endif

static void uart_init(void)
{
    if (uart_is_16550) {
        uart[1] = 0;    /* no interrupts */
        uart[2] = 0xc7; /* FIFOs on and cleared, 14-byte trigger */
        uart[3] = 0x03; /* 8N1 */
        return;
    }
    wr32(PL011_IMSC, 0);
    wr32(PL011_LCRH, 0x70);      /* 8 bits, FIFOs on */
    wr32(PL011_CR, 0x301);       /* UART, TX and RX enabled */
}

static const char *dfsc_text(uint32_t dfsc)
{
    if (dfsc == 0x10) {
        return "external abort";
    }
    if (dfsc == 0x21) {
        return "alignment fault";
    }
    if (dfsc <= 0x03) {
        return "address size fault";
    }
    if (dfsc >= 0x04 && dfsc <= 0x07) {
        return "translation fault";
    }
    if (dfsc >= 0x0c && dfsc <= 0x0f) {
        return "permission fault";
    }
    return "fault";
}

void arch_fault_text(char *buf, size_t n)
{
    char tmp[128];
    uint64_t esr = agent_fault_info[0];
    uint32_t ec = (uint32_t) (esr >> 26) & 0x3f;
    char *p = agent_put_str(tmp, ec == 0x25 || ec == 0x24 ? "data abort (" : "exception (");
    p = agent_put_str(p, dfsc_text((uint32_t) esr & 0x3f));
    p = agent_put_str(p, ") ESR 0x");
    p = agent_put_hex(p, esr, 1);
    p = agent_put_str(p, " FAR 0x");
    agent_put_hex(p, agent_fault_info[1], 1);
    agent_copy_text(buf, n, tmp);
}

/* Looks for an MMIO ns16550a in the DTB when there is no PL011 (Firecracker's aarch64 serial). */
static uint64_t find_16550(uint64_t dtb);

void arch_start(uint64_t x0)
{
    uint64_t uart_base = 0;
    info.arch = "aarch64";
    info.image_base = (uint64_t) (uintptr_t) _start;
    info.image_size = (uint64_t) (uintptr_t) _image_end - info.image_base;
    uint64_t dtb = x0;
    char *p = agent_put_str(info.boot, "image");
    if (agent_parse_fdt(&info, dtb, &uart_base) != 0) {
        dtb = AGENT_FALLBACK_DTB;
        if (agent_parse_fdt(&info, dtb, &uart_base) != 0) {
            dtb = 0;
        }
    }
    if (dtb) {
        p = agent_put_str(p, ",dtb=0x");
        agent_put_hex(p, dtb, 1);
    } else {
        agent_put_str(p, ",no-dtb");
    }
    if (!uart_base && dtb) {
        uart_base = find_16550(dtb);
        uart_is_16550 = uart_base != 0;
    }
    if (!uart_base) {
        uart_base = AGENT_UART_BASE;
    }
    uart = (volatile uint8_t *) (uintptr_t) uart_base;
    p = agent_put_str(info.uart, uart_is_16550 ? "ns16550a@0x" : "pl011@0x");
    agent_put_hex(p, uart_base, 1);
    uart_init();
#ifndef AGENT_NO_WFI
    gic_route_uart();
#endif
    agent_main(&info);
}

/* A second, narrow pass over the DTB: the first node compatible with ns16550a, at the root's cell sizes. */
static uint64_t find_16550(uint64_t dtb)
{
    const volatile uint8_t *b = (const volatile uint8_t *) (uintptr_t) dtb;
#define BE32(o) ((uint32_t) b[(o)] << 24 | (uint32_t) b[(o) + 1] << 16 | (uint32_t) b[(o) + 2] << 8 | b[(o) + 3])
    uint32_t structs = BE32(8);
    uint32_t strings = BE32(12);
    uint32_t limit = structs + BE32(36);
    uint32_t off = structs;
    uint32_t reg = 0;
    int match = 0;
    while (off < limit) {
        uint32_t tok = BE32(off);
        off += 4;
        if (tok == 1) {
            while (b[off]) {
                off++;
            }
            off = (off + 4) & ~3u;
            reg = 0;
            match = 0;
        } else if (tok == 3) {
            uint32_t len = BE32(off);
            uint32_t name = strings + BE32(off + 4);
            uint32_t val = off + 8;
            off = (val + len + 3) & ~3u;
            const char *want = "compatible";
            uint32_t i = 0;
            while (want[i] && b[name + i] == (uint8_t) want[i]) {
                i++;
            }
            if (!want[i] && !b[name + i]) {
                const char *c = "ns16550a";
                for (uint32_t s = 0; s < len; s++) {
                    uint32_t k = 0;
                    while (c[k] && s + k < len && b[val + s + k] == (uint8_t) c[k]) {
                        k++;
                    }
                    if (!c[k]) {
                        match = 1;
                    }
                }
            } else if (b[name] == 'r' && b[name + 1] == 'e' && b[name + 2] == 'g' && !b[name + 3] && len >= 8) {
                reg = val;
            }
        } else if (tok == 2) {
            if (match && reg) {
                return (uint64_t) BE32(reg) << 32 | BE32(reg + 4);
            }
            match = 0;
            reg = 0;
        } else if (tok != 4) {
            break;
        }
    }
    return 0;
#undef BE32
}
