/*
 * The command loop: one qtest-style command line in, one answer line out.
 *
 * Commands (the subset of QEMU's qtest protocol the kit uses, plus hello):
 *   readb|readw|readl|readq ADDR            -> OK 0x<16 hex digits>
 *   writeb|writew|writel|writeq ADDR VALUE  -> OK
 *   read ADDR SIZE                          -> OK 0x<hex bytes>
 *   write ADDR SIZE 0x<hex bytes>           -> OK
 *   b64read ADDR SIZE                       -> OK <base64>
 *   b64write ADDR SIZE <base64>             -> OK
 *   hello [TAG]                             -> OK virtio-tck-agent VERSION key=value... [tag=TAG]
 * Anything else, a malformed line, a guest-memory range the agent may not touch, or a fault while accessing
 * a register gets one "FAIL <reason>" line. Numbers are like C: 0x hex, leading 0 octal, else decimal.
 */
#include "agent.h"

#define LINE_MAX_BYTES (192 * 1024)

static char line[LINE_MAX_BYTES];
static char hello[1024];
static struct agent_boot *boot;

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char HEXD[] = "0123456789abcdef";

/* ------------------------------------------------------------------ output */

static void put_str(const char *s)
{
    while (*s) {
        arch_putc(*s++);
    }
}

static void fail(const char *what, const char *arg)
{
    put_str("FAIL ");
    put_str(what);
    if (arg) {
        put_str(" '");
        /* quote at most 60 characters of the offending text */
        for (int i = 0; i < 60 && arg[i]; i++) {
            char c = arg[i];
            arch_putc(c >= 32 && c < 127 ? c : '?');
        }
        put_str("'");
    }
    arch_putc('\n');
}

static void ok_value(uint64_t v)
{
    char buf[32];
    char *p = agent_put_str(buf, "OK 0x");
    p = agent_put_hex(p, v, 16);
    *p++ = '\n';
    *p = 0;
    put_str(buf);
}

/* ------------------------------------------------------------------ parsing */

static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    if (!*s) {
        return -1;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s) {
            return -1;
        }
    } else if (s[0] == '0' && s[1]) {
        base = 8;
        s++;
    }
    for (; *s; s++) {
        unsigned d;
        char c = *s;
        if (c >= '0' && c <= '9') {
            d = (unsigned) (c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = (unsigned) (c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            d = (unsigned) (c - 'A' + 10);
        } else {
            return -1;
        }
        if (d >= base || v > (UINT64_MAX - d) / base) {
            return -1;
        }
        v = v * base + d;
    }
    *out = v;
    return 0;
}

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* Splits line in place on spaces; returns the word count (at most max). */
static int split(char *s, char **words, int max)
{
    int n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t') {
            *s++ = 0;
        }
        if (!*s) {
            break;
        }
        if (n == max) {
            return max + 1;
        }
        words[n++] = s;
        while (*s && *s != ' ' && *s != '\t') {
            s++;
        }
    }
    return n;
}

/* ------------------------------------------------------------------ guest memory */

/* Whether [addr, addr+len) is RAM the agent does not use. */
static int memory_allowed(uint64_t addr, uint64_t len)
{
    if (len == 0) {
        return 1;
    }
    if (addr + len < addr) {
        return 0;
    }
    if (agent_overlaps(addr, len, boot->image_base, boot->image_size)) {
        return 0;
    }
    if (boot->nram == 0) {
        return 1; /* RAM unknown: trust the harness's ram= window */
    }
    for (int i = 0; i < boot->nram; i++) {
        struct agent_region *r = &boot->ram[i];
        if (addr >= r->base && addr + len <= r->base + r->size) {
            return 1;
        }
    }
    return 0;
}

/* The value of digit c in alphabet (its index there), or -1 when it is not one of its digits. */
static int digit(const char *alphabet, char c)
{
    for (int i = 0; alphabet[i] != 0; i++) {
        if (alphabet[i] == c) {
            return i;
        }
    }
    return -1;
}

static int b64val(char c)
{
    return digit(B64, c);
}

/* Decodes base64 (padding optional) straight into guest memory; returns the byte count or -1. */
static long b64_decode_to(const char *s, volatile uint8_t *dst, uint64_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    uint64_t n = 0;
    for (; *s && *s != '='; s++) {
        int v = b64val(*s);
        if (v < 0) {
            return -1;
        }
        acc = (acc << 6) | (uint32_t) v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n == cap) {
                return -1;
            }
            dst[n++] = (uint8_t) (acc >> bits);
        }
    }
    return (long) n;
}

/* Counts the bytes a base64 string decodes to, rejecting bad characters. */
static long b64_len(const char *s)
{
    long chars = 0;
    for (; *s && *s != '='; s++) {
        if (b64val(*s) < 0) {
            return -1;
        }
        chars++;
    }
    while (*s == '=') {
        s++;
    }
    if (*s) {
        return -1;
    }
    return chars * 6 / 8;
}

static void do_b64read(uint64_t addr, uint64_t len)
{
    volatile const uint8_t *p = (volatile const uint8_t *) (uintptr_t) addr;
    put_str("OK ");
    uint64_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t) p[i] << 16 | (uint32_t) p[i + 1] << 8 | p[i + 2];
        arch_putc(B64[v >> 18]);
        arch_putc(B64[(v >> 12) & 63]);
        arch_putc(B64[(v >> 6) & 63]);
        arch_putc(B64[v & 63]);
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t) p[i] << 16;
        arch_putc(B64[v >> 18]);
        arch_putc(B64[(v >> 12) & 63]);
        put_str("==");
    } else if (len - i == 2) {
        uint32_t v = (uint32_t) p[i] << 16 | (uint32_t) p[i + 1] << 8;
        arch_putc(B64[v >> 18]);
        arch_putc(B64[(v >> 12) & 63]);
        arch_putc(B64[(v >> 6) & 63]);
        arch_putc('=');
    }
    arch_putc('\n');
}

static void do_hexread(uint64_t addr, uint64_t len)
{
    volatile const uint8_t *p = (volatile const uint8_t *) (uintptr_t) addr;
    put_str("OK 0x");
    for (uint64_t i = 0; i < len; i++) {
        arch_putc(HEXD[p[i] >> 4]);
        arch_putc(HEXD[p[i] & 15]);
    }
    arch_putc('\n');
}

static int hexval(char c)
{
    return digit(HEXD, c >= 'A' && c <= 'F' ? (char) (c - 'A' + 'a') : c);
}

static void do_hexwrite(uint64_t addr, uint64_t len, const char *data)
{
    if (data[0] != '0' || (data[1] != 'x' && data[1] != 'X')) {
        fail("write data must start with 0x:", data);
        return;
    }
    data += 2;
    if (agent_strlen(data) != 2 * len) {
        fail("write data length does not match the size:", data);
        return;
    }
    for (uint64_t i = 0; i < 2 * len; i++) {
        if (hexval(data[i]) < 0) {
            fail("write data is not hex:", data);
            return;
        }
    }
    volatile uint8_t *p = (volatile uint8_t *) (uintptr_t) addr;
    for (uint64_t i = 0; i < len; i++) {
        p[i] = (uint8_t) (hexval(data[2 * i]) << 4 | hexval(data[2 * i + 1]));
    }
    put_str("OK\n");
}

/* ------------------------------------------------------------------ registers */

static int width_of(char c)
{
    switch (c) {
    case 'b': return 1;
    case 'w': return 2;
    case 'l': return 4;
    case 'q': return 8;
    default: return 0;
    }
}

static void fault_answer(const char *op, uint64_t addr)
{
    char buf[192];
    char *p = agent_put_str(buf, "FAIL ");
    p = agent_put_str(p, op);
    p = agent_put_str(p, " 0x");
    p = agent_put_hex(p, addr, 1);
    p = agent_put_str(p, " faulted: ");
    arch_fault_text(p, sizeof buf - (size_t) (p - buf) - 2);
    p += agent_strlen(p);
    *p++ = '\n';
    *p = 0;
    put_str(buf);
}

static void do_read_reg(const char *op, int width, uint64_t addr)
{
    uint64_t v;
    agent_fault_hit = 0;
    switch (width) {
    case 1: v = agent_rd8(addr); break;
    case 2: v = agent_rd16(addr); break;
    case 4: v = agent_rd32(addr); break;
    default: v = agent_rd64(addr); break;
    }
    if (agent_fault_hit) {
        fault_answer(op, addr);
        return;
    }
    ok_value(v);
}

static void do_write_reg(const char *op, int width, uint64_t addr, uint64_t v)
{
    agent_fault_hit = 0;
    switch (width) {
    case 1: agent_wr8(addr, v & 0xff); break;
    case 2: agent_wr16(addr, v & 0xffff); break;
    case 4: agent_wr32(addr, v & 0xffffffffu); break;
    default: agent_wr64(addr, v); break;
    }
    if (agent_fault_hit) {
        fault_answer(op, addr);
        return;
    }
    put_str("OK\n");
}

/* ------------------------------------------------------------------ dispatch */

/*
 * The ADDR SIZE words of a guest-memory command of n words (want of them expected) into *addr and *len; false,
 * after the error line, when the command is malformed or the range is not free RAM.
 */
static int memory_args(char **w, int n, int want, const char *usage, uint64_t *addr, uint64_t *len)
{
    if (n != want || parse_u64(w[1], addr) || parse_u64(w[2], len)) {
        fail(usage, n > 1 ? w[1] : w[0]);
        return 0;
    }
    if (!memory_allowed(*addr, *len)) {
        fail("guest memory range is not free RAM (see ram= in hello):", w[1]);
        return 0;
    }
    return 1;
}

static void command(char *text)
{
    char *w[5];
    int n = split(text, w, 4);
    uint64_t a;
    uint64_t b;
    if (n == 0) {
        return; /* an empty line gets no answer */
    }
    if (n > 4) {
        fail("too many words in", w[0]);
        return;
    }
    const char *op = w[0];
    int rw = 0;
    if ((op[0] == 'r' && op[1] == 'e' && op[2] == 'a' && op[3] == 'd') && op[4] && !op[5]) {
        rw = width_of(op[4]);
        if (rw) {
            if (n != 2 || parse_u64(w[1], &a)) {
                fail("usage: readb|readw|readl|readq ADDR; got", n > 1 ? w[1] : op);
                return;
            }
            do_read_reg(op, rw, a);
            return;
        }
    }
    if ((op[0] == 'w' && op[1] == 'r' && op[2] == 'i' && op[3] == 't' && op[4] == 'e') && op[5] && !op[6]) {
        rw = width_of(op[5]);
        if (rw) {
            if (n != 3 || parse_u64(w[1], &a) || parse_u64(w[2], &b)) {
                fail("usage: writeb|writew|writel|writeq ADDR VALUE; got", n > 1 ? w[1] : op);
                return;
            }
            do_write_reg(op, rw, a, b);
            return;
        }
    }
    int is_read = streq(op, "read");
    int is_b64read = streq(op, "b64read");
    if (is_read || is_b64read) {
        if (!memory_args(w, n, 3, "usage: read|b64read ADDR SIZE; got", &a, &b)) {
            return;
        }
        if (is_read) {
            do_hexread(a, b);
        } else {
            do_b64read(a, b);
        }
        return;
    }
    int is_write = streq(op, "write");
    int is_b64write = streq(op, "b64write");
    if (is_write || is_b64write) {
        if (!memory_args(w, n, 4, "usage: write|b64write ADDR SIZE DATA; got", &a, &b)) {
            return;
        }
        if (is_write) {
            do_hexwrite(a, b, w[3]);
            return;
        }
        long len = b64_len(w[3]);
        if (len < 0) {
            fail("b64write data is not base64:", w[3]);
            return;
        }
        if ((uint64_t) len != b) {
            fail("b64write data length does not match the size:", w[2]);
            return;
        }
        b64_decode_to(w[3], (volatile uint8_t *) (uintptr_t) a, b);
        put_str("OK\n");
        return;
    }
    if (streq(op, "hello")) {
        if (n > 2) {
            fail("usage: hello [TAG]; got", w[2]);
            return;
        }
        put_str("OK ");
        put_str(hello);
        if (n == 2) {
            put_str(" tag=");
            put_str(w[1]);
        }
        arch_putc('\n');
        return;
    }
    fail("Unknown command", op);
}

/* Reads one line (without the newline); returns 0, or -1 when it was longer than the buffer (discarded). */
static int read_line(void)
{
    size_t n = 0;
    int overflow = 0;
    for (;;) {
        int c = arch_getc();
        if (c == '\n') {
            break;
        }
        if (c == '\r') {
            continue;
        }
        if (n + 1 < sizeof line) {
            line[n++] = (char) c;
        } else {
            overflow = 1;
        }
    }
    line[n] = 0;
    return overflow ? -1 : 0;
}

static void loop(void) __attribute__((noreturn));

static void loop(void)
{
    for (;;) {
        if (read_line() < 0) {
            fail("line too long (limit 196607 bytes)", 0);
            continue;
        }
        command(line);
    }
}

void agent_main(struct agent_boot *b)
{
    boot = b;
    agent_build_hello(b, hello, sizeof hello);
    put_str("\nHELLO ");
    put_str(hello);
    arch_putc('\n');
    loop();
}

void agent_exception(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    char buf[160];
    char *p = agent_put_str(buf, "FAIL agent exception 0x");
    p = agent_put_hex(p, a, 1);
    p = agent_put_str(p, " 0x");
    p = agent_put_hex(p, b, 1);
    p = agent_put_str(p, " at 0x");
    p = agent_put_hex(p, c, 1);
    p = agent_put_str(p, " addr 0x");
    p = agent_put_hex(p, d, 1);
    *p++ = '\n';
    *p = 0;
    put_str(buf);
    loop();
}
