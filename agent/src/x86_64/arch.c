/* x86-64: boot information from PVH start info or Linux boot_params, the 16550 at 0x3f8, and the IDT. */
#include "agent.h"

#define BOOT_PVH 1
#define BOOT_LINUX64 2
#define COM1 0x3f8
#define PVH_MAGIC 0x336ec578u

volatile uint64_t agent_fault_hit;
volatile uint64_t agent_fault_info[3];

static struct agent_boot info;

extern char _image_start[];
extern char _image_end[];
extern char isr_stubs[];

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* With the FIFO on, an empty transmitter takes 16 bytes without another status read. */
static int tx_room;

void arch_putc(int c)
{
    if (tx_room == 0) {
        while (!(inb(COM1 + 5) & 0x20)) {
        }
        tx_room = 16;
    }
    outb(COM1, (uint8_t) c);
    tx_room--;
}

int arch_getc(void)
{
    while (!(inb(COM1 + 5) & 0x01)) {
    }
    return inb(COM1);
}

static void uart_init(void)
{
    outb(COM1 + 1, 0x00); /* no interrupts */
    outb(COM1 + 3, 0x80); /* divisor latch: 115200 */
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03); /* 8N1 */
    outb(COM1 + 2, 0xc7); /* FIFOs on and cleared, 14-byte trigger: QEMU then passes input 14 bytes at a time */
    outb(COM1 + 4, 0x03); /* DTR, RTS */
}

struct idt_gate {
    uint16_t off0;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off1;
    uint32_t off2;
    uint32_t zero;
};

static struct idt_gate idt[32] __attribute__((aligned(16)));

static void idt_init(void)
{
    for (int v = 0; v < 32; v++) {
        uint64_t a = (uint64_t) (uintptr_t) (isr_stubs + 16 * v);
        idt[v].off0 = (uint16_t) a;
        idt[v].sel = 0x08;
        idt[v].ist = 0;
        idt[v].type = 0x8e; /* present, interrupt gate */
        idt[v].off1 = (uint16_t) (a >> 16);
        idt[v].off2 = (uint32_t) (a >> 32);
        idt[v].zero = 0;
    }
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } desc = {sizeof idt - 1, (uint64_t) (uintptr_t) idt};
    __asm__ volatile("lidt %0" : : "m"(desc));
}

static const char *vector_name(uint64_t v)
{
    switch (v) {
    case 13: return "general protection fault #GP";
    case 14: return "page fault #PF";
    case 12: return "stack fault #SS";
    case 17: return "alignment check #AC";
    default: return "exception";
    }
}

void arch_fault_text(char *buf, size_t n)
{
    char tmp[128];
    char *p = agent_put_str(tmp, vector_name(agent_fault_info[0]));
    p = agent_put_str(p, " vector ");
    p = agent_put_hex(p, agent_fault_info[0], 1);
    p = agent_put_str(p, " error 0x");
    p = agent_put_hex(p, agent_fault_info[1], 1);
    if (agent_fault_info[0] == 14) {
        p = agent_put_str(p, " CR2 0x");
        agent_put_hex(p, agent_fault_info[2], 1);
    }
    agent_copy_text(buf, n, tmp);
}

static uint32_t rd32(uint64_t a)
{
    return *(volatile uint32_t *) (uintptr_t) a;
}

static uint64_t rd64(uint64_t a)
{
    return *(volatile uint64_t *) (uintptr_t) a;
}

static void add_ram(uint64_t base, uint64_t size)
{
    /* the page tables map the low 4 GiB only */
    const uint64_t limit = 1ull << 32;
    if (base >= limit || info.nram >= AGENT_MAX_RAM) {
        return;
    }
    if (base + size > limit) {
        size = limit - base;
    }
    info.ram[info.nram].base = base;
    info.ram[info.nram].size = size;
    info.nram++;
}

static void from_pvh(uint64_t si)
{
    char *p = agent_put_str(info.boot, "pvh");
    if (rd32(si) != PVH_MAGIC) {
        agent_put_str(p, ",bad-start-info");
        return;
    }
    uint64_t cmdline = rd64(si + 24);
    if (cmdline) {
        agent_parse_cmdline(&info, (const char *) (uintptr_t) cmdline, 4096);
    }
    if (rd32(si + 4) >= 1) {
        uint64_t map = rd64(si + 40);
        uint32_t n = rd32(si + 48);
        for (uint32_t i = 0; map && i < n; i++) {
            uint64_t e = map + 24 * (uint64_t) i;
            if (rd32(e + 16) == 1) {
                add_ram(rd64(e), rd64(e + 8));
            }
        }
    }
}

static void from_boot_params(uint64_t bp)
{
    agent_put_str(info.boot, "linux64");
    uint64_t cmdline = rd32(bp + 0x228) | (uint64_t) rd32(bp + 0xc8) << 32;
    if (cmdline) {
        agent_parse_cmdline(&info, (const char *) (uintptr_t) cmdline, 4096);
    }
    uint32_t n = *(volatile uint8_t *) (uintptr_t) (bp + 0x1e8);
    for (uint32_t i = 0; i < n && i < 128; i++) {
        uint64_t e = bp + 0x2d0 + 20 * (uint64_t) i;
        if (rd32(e + 16) == 1) {
            add_ram(rd64(e), rd64(e + 8));
        }
    }
}

void arch_start(uint32_t kind, uint64_t boot_info)
{
    idt_init();
    uart_init();
    info.arch = "x86_64";
    info.image_base = (uint64_t) (uintptr_t) _image_start;
    info.image_size = (uint64_t) (uintptr_t) _image_end - info.image_base;
    agent_put_str(info.uart, "16550@io0x3f8");
    if (kind == BOOT_PVH) {
        from_pvh(boot_info);
    } else {
        from_boot_params(boot_info);
    }
    agent_main(&info);
}
