/* What the agent learns at boot: transports named on the kernel command line, and the flattened device tree. */
#include "agent.h"

static void add_device(struct agent_boot *b, uint64_t base)
{
    for (int i = 0; i < b->ndevices; i++) {
        if (b->devices[i] == base) {
            return;
        }
    }
    if (b->ndevices < AGENT_MAX_DEVICES) {
        b->devices[b->ndevices++] = base;
    }
}

/* Parses a C-style number (0x hex or decimal) at *s with an optional K/M/G suffix; advances *s. */
static int number(const char **s, const char *end, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;
    unsigned base = 10;
    int digits = 0;
    if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    for (; p < end; p++) {
        char c = *p;
        unsigned d;
        if (c >= '0' && c <= '9') {
            d = (unsigned) (c - '0');
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            d = (unsigned) (c - 'a' + 10);
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            d = (unsigned) (c - 'A' + 10);
        } else {
            break;
        }
        v = v * base + d;
        digits++;
    }
    if (!digits) {
        return -1;
    }
    if (p < end && (*p == 'K' || *p == 'k')) {
        v <<= 10;
        p++;
    } else if (p < end && (*p == 'M' || *p == 'm')) {
        v <<= 20;
        p++;
    } else if (p < end && (*p == 'G' || *p == 'g')) {
        v <<= 30;
        p++;
    }
    *s = p;
    *out = v;
    return 0;
}

void agent_parse_cmdline(struct agent_boot *b, const char *cmdline, size_t max)
{
    static const char key[] = "virtio_mmio.device=";
    const size_t klen = sizeof key - 1;
    size_t len = 0;
    while (len < max && cmdline[len]) {
        len++;
    }
    const char *end = cmdline + len;
    for (const char *p = cmdline; p + klen <= end; p++) {
        if ((p != cmdline && p[-1] != ' ') || p[0] != 'v') {
            continue;
        }
        size_t i = 0;
        while (i < klen && p[i] == key[i]) {
            i++;
        }
        if (i != klen) {
            continue;
        }
        const char *q = p + klen;
        uint64_t size;
        uint64_t base;
        if (number(&q, end, &size) || q >= end || *q != '@') {
            continue;
        }
        q++;
        if (number(&q, end, &base) == 0) {
            add_device(b, base);
        }
    }
}

/* ---------------------------------------------------------------- flattened device tree (big-endian) */

static uint32_t be32(uint64_t addr)
{
    const volatile uint8_t *p = (const volatile uint8_t *) (uintptr_t) addr;
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static uint64_t cells(uint64_t addr, uint32_t n)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < n; i++) {
        v = (v << 32) | be32(addr + 4 * i);
    }
    return v;
}

static int name_is(uint64_t s, const char *want)
{
    const volatile char *p = (const volatile char *) (uintptr_t) s;
    while (*want && *p == *want) {
        p++;
        want++;
    }
    return *want == 0 && *p == 0;
}

/* Whether the string list prop (len bytes) contains want. */
static int list_has(uint64_t prop, uint32_t len, const char *want)
{
    uint64_t end = prop + len;
    while (prop < end) {
        if (name_is(prop, want)) {
            return 1;
        }
        while (prop < end && *(const volatile char *) (uintptr_t) prop) {
            prop++;
        }
        prop++;
    }
    return 0;
}

#define FDT_MAGIC 0xd00dfeedu
#define MAX_DEPTH 16

int agent_parse_fdt(struct agent_boot *b, uint64_t blob, uint64_t *uart)
{
    if (!blob || (blob & 3) || be32(blob) != FDT_MAGIC) {
        return -1;
    }
    uint64_t structs = blob + be32(blob + 8);
    uint64_t strings = blob + be32(blob + 12);
    uint64_t limit = structs + be32(blob + 36);
    /* #address-cells/#size-cells that a node's children use; index = depth of the parent */
    uint32_t acells[MAX_DEPTH + 1];
    uint32_t scells[MAX_DEPTH + 1];
    int depth = 0;
    int is_memory = 0;
    int is_virtio = 0;
    int is_pl011 = 0;
    int is_chosen = 0;
    int is_gic = 0;
    uint64_t irqs = 0;
    uint32_t irqs_len = 0;
    uint64_t reg = 0;
    uint32_t reg_len = 0;
    uint64_t p = structs;
    acells[0] = 2;
    scells[0] = 1;
    while (p < limit) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == 1) { /* FDT_BEGIN_NODE */
            uint64_t name = p;
            while (*(const volatile char *) (uintptr_t) p) {
                p++;
            }
            p = (p + 4) & ~3ull;
            if (depth < MAX_DEPTH) {
                depth++;
            }
            acells[depth] = 2;
            scells[depth] = 1;
            is_memory = 0;
            is_virtio = 0;
            is_pl011 = 0;
            is_gic = 0;
            reg_len = 0;
            irqs_len = 0;
            is_chosen = depth == 1 && name_is(name, "chosen");
            /* "memory@..." nodes are memory even without device_type in some trees */
            const volatile char *n = (const volatile char *) (uintptr_t) name;
            if (n[0] == 'm' && n[1] == 'e' && n[2] == 'm' && n[3] == 'o' && n[4] == 'r' && n[5] == 'y'
                    && (n[6] == '@' || n[6] == 0)) {
                is_memory = 1;
            }
        } else if (tok == 2) { /* FDT_END_NODE */
            uint32_t ac = acells[depth - 1 >= 0 ? depth - 1 : 0];
            uint32_t sc = scells[depth - 1 >= 0 ? depth - 1 : 0];
            uint32_t entry = 4 * (ac + sc);
            if (reg_len >= entry && ac <= 2 && sc <= 2) {
                if (is_memory) {
                    for (uint32_t off = 0; off + entry <= reg_len && b->nram < AGENT_MAX_RAM; off += entry) {
                        b->ram[b->nram].base = cells(reg + off, ac);
                        b->ram[b->nram].size = cells(reg + off + 4 * ac, sc);
                        b->nram++;
                    }
                } else if (is_virtio) {
                    add_device(b, cells(reg, ac));
                } else if (is_pl011 && uart) {
                    *uart = cells(reg, ac);
                    uart = 0; /* keep the first one */
                    if (irqs_len == 12 && be32(irqs) == 0) { /* GIC binding: SPI n is interrupt 32 + n */
                        b->uart_intid = 32 + be32(irqs + 4);
                    }
                } else if (is_gic && reg_len >= 2 * entry && !b->gicd) {
                    b->gicd = cells(reg, ac);
                    b->gicc = cells(reg + entry, ac);
                }
            }
            is_memory = is_virtio = is_pl011 = is_gic = 0;
            reg_len = 0;
            irqs_len = 0;
            if (depth > 0) {
                depth--;
            }
        } else if (tok == 3) { /* FDT_PROP */
            uint32_t len = be32(p);
            uint64_t name = strings + be32(p + 4);
            uint64_t val = p + 8;
            p = (val + len + 3) & ~3ull;
            if (name_is(name, "#address-cells") && len == 4) {
                acells[depth] = be32(val);
            } else if (name_is(name, "#size-cells") && len == 4) {
                scells[depth] = be32(val);
            } else if (name_is(name, "interrupts")) {
                irqs = val;
                irqs_len = len;
            } else if (name_is(name, "reg")) {
                reg = val;
                reg_len = len;
            } else if (name_is(name, "device_type") && list_has(val, len, "memory")) {
                is_memory = 1;
            } else if (name_is(name, "compatible")) {
                is_virtio = list_has(val, len, "virtio,mmio");
                is_pl011 = list_has(val, len, "arm,pl011");
                is_gic = list_has(val, len, "arm,cortex-a15-gic") || list_has(val, len, "arm,gic-400");
            } else if (is_chosen && name_is(name, "bootargs")) {
                agent_parse_cmdline(b, (const char *) (uintptr_t) val, len);
            }
        } else if (tok == 4) { /* FDT_NOP */
            continue;
        } else { /* FDT_END or garbage */
            break;
        }
    }
    return 0;
}
