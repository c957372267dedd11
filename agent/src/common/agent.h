/*
 * virtio-tck guest agent: the part shared by every architecture.
 *
 * The agent runs bare metal inside a VMM, reads qtest-style command lines from a UART and executes each
 * register access as one load or store of the requested width on the guest CPU, so the access travels
 * through the VMM's own vCPU exit decoding and MMIO dispatch.
 */
#ifndef AGENT_H
#define AGENT_H

#include <stddef.h>
#include <stdint.h>

#define AGENT_NAME "virtio-tck-agent"
#define AGENT_VERSION "0.1.0"

#define AGENT_MAX_RAM 16
#define AGENT_MAX_DEVICES 32

struct agent_region {
    uint64_t base;
    uint64_t size;
};

/* What the boot code learned about the machine, before the command loop starts. */
struct agent_boot {
    const char *arch;
    char boot[64];              /* how the agent was entered, e.g. "linux-image dtb=0x44000000" */
    char uart[48];              /* which UART it talks on */
    uint64_t image_base;        /* the agent's own footprint: code, data, bss, stacks, page tables */
    uint64_t image_size;
    struct agent_region ram[AGENT_MAX_RAM];
    int nram;
    uint64_t devices[AGENT_MAX_DEVICES]; /* candidate virtio-mmio transport bases */
    int ndevices;
    /* aarch64: a GICv2 and the first PL011's interrupt, from the DTB (0 when absent), so the agent can sleep in
     * WFI until input arrives instead of polling the UART */
    uint64_t gicd;
    uint64_t gicc;
    uint32_t uart_intid;
};

/* ---- provided by each architecture ---- */

void arch_putc(int c);
int arch_getc(void);
/* Formats the last caught fault (after agent_fault_hit was set) into buf. */
void arch_fault_text(char *buf, size_t n);

/* One load or store of exactly that width; defined in assembly so the compiler cannot split or merge them.
 * A fault inside one of these sets agent_fault_hit and returns to the caller. */
uint64_t agent_rd8(uint64_t addr);
uint64_t agent_rd16(uint64_t addr);
uint64_t agent_rd32(uint64_t addr);
uint64_t agent_rd64(uint64_t addr);
void agent_wr8(uint64_t addr, uint64_t v);
void agent_wr16(uint64_t addr, uint64_t v);
void agent_wr32(uint64_t addr, uint64_t v);
void agent_wr64(uint64_t addr, uint64_t v);

extern volatile uint64_t agent_fault_hit;
/* Architecture-specific fault details: aarch64 ESR, FAR; x86 vector, error code, CR2. */
extern volatile uint64_t agent_fault_info[3];

/* ---- shared ---- */

void agent_main(struct agent_boot *b) __attribute__((noreturn));
/* Writes the hello text (without "OK "/"HELLO ") into out, probing the candidate transports on the way. */
void agent_build_hello(struct agent_boot *b, char *out, size_t size);
/* Called by the exception vectors for a fault the agent did not expect; reports it and restarts the loop. */
void agent_exception(uint64_t a, uint64_t b, uint64_t c, uint64_t d) __attribute__((noreturn));

/* Parses Linux's virtio_mmio.device=SIZE@BASE[:IRQ[:ID]] parameters from a command line. */
void agent_parse_cmdline(struct agent_boot *b, const char *cmdline, size_t max);
/* Reads memory nodes, virtio,mmio nodes, the PL011 and /chosen/bootargs from a flattened device tree.
 * Returns 0 when blob is a valid FDT, -1 otherwise; *uart gets the first PL011's base (unchanged if none). */
int agent_parse_fdt(struct agent_boot *b, uint64_t blob, uint64_t *uart);

/* small string helpers */
size_t agent_strlen(const char *s);
char *agent_put_str(char *p, const char *s);
char *agent_put_hex(char *p, uint64_t v, int min_digits);
/* Whether [a, a+alen) and [b, b+blen) share a byte. */
int agent_overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen);
/* Copies src into dst (n bytes), cut short and NUL-terminated. */
void agent_copy_text(char *dst, size_t n, const char *src);
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

#endif
