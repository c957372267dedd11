/*
 * example_blk.c - a small virtio-blk device behind virtio-mmio (modern, Version 2), implementing the TCK's
 * device ABI (tck/src/main/c/virtio_tck_device.h). It is the TCK's own example of a native device: built with
 * gcc by the tests and certified through native:<lib> and kvm:native:<lib>.
 *
 * Offers VIRTIO_F_VERSION_1 and VIRTIO_BLK_F_FLUSH (and VIRTIO_BLK_F_RO with ro=1); one split virtqueue;
 * requests IN, OUT, FLUSH and GET_ID; anything else completes with UNSUPP. Structural errors in the rings
 * (descriptor outside the table, loops, buffers outside guest RAM, missing status or header) set
 * DEVICE_NEEDS_RESET and stop the device until the driver resets it. The disk lives in host memory.
 *
 * Config string: comma-separated key=value: capacity=SECTORS (default 2048), serial=TEXT (max 20 bytes),
 * ro=0|1, queue_max=N (QueueNumMax, power of two <= 32768, default 256).
 *
 * Build: gcc -O2 -shared -fPIC -I tck/src/main/c -o libexample_blk.so tck/src/test/c/example_blk.c
 */
#include "virtio_tck_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* virtio-mmio registers (virtio 1.2, 4.2.2) */
enum {
    R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVICE_ID = 0x008, R_VENDOR_ID = 0x00c,
    R_DEVICE_FEATURES = 0x010, R_DEVICE_FEATURES_SEL = 0x014,
    R_DRIVER_FEATURES = 0x020, R_DRIVER_FEATURES_SEL = 0x024,
    R_QUEUE_SEL = 0x030, R_QUEUE_NUM_MAX = 0x034, R_QUEUE_NUM = 0x038, R_QUEUE_READY = 0x044,
    R_QUEUE_NOTIFY = 0x050, R_INTERRUPT_STATUS = 0x060, R_INTERRUPT_ACK = 0x064, R_STATUS = 0x070,
    R_QUEUE_DESC_LOW = 0x080, R_QUEUE_DESC_HIGH = 0x084, R_QUEUE_DRIVER_LOW = 0x090,
    R_QUEUE_DRIVER_HIGH = 0x094, R_QUEUE_DEVICE_LOW = 0x0a0, R_QUEUE_DEVICE_HIGH = 0x0a4,
    R_SHM_SEL = 0x0ac, R_SHM_LEN_LOW = 0x0b0, R_SHM_LEN_HIGH = 0x0b4, R_SHM_BASE_LOW = 0x0b8,
    R_SHM_BASE_HIGH = 0x0bc, R_QUEUE_RESET = 0x0c0, R_CONFIG_GENERATION = 0x0fc, R_CONFIG = 0x100
};

enum { S_ACKNOWLEDGE = 1, S_DRIVER = 2, S_DRIVER_OK = 4, S_FEATURES_OK = 8, S_NEEDS_RESET = 0x40, S_FAILED = 0x80 };
enum { INT_USED = 1, INT_CONFIG = 2 };

#define F_BLK_RO      (1ull << 5)
#define F_BLK_FLUSH   (1ull << 9)
#define F_VERSION_1   (1ull << 32)

enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };
enum { ST_OK = 0, ST_IOERR = 1, ST_UNSUPP = 2 };

#define DESC_F_NEXT 1
#define DESC_F_WRITE 2
#define DESC_F_INDIRECT 4
#define AVAIL_F_NO_INTERRUPT 1
#define MAX_QUEUE 32768u
#define CONFIG_BYTES 0x3c
#define MAX_SEGS 1024

struct seg { uint64_t addr; uint32_t len; };

struct dev {
    uint8_t *ram; uint64_t ram_size, ram_gpa;
    vtck_irq_fn irq; void *irq_ctx; int line;
    uint8_t *disk; uint64_t capacity; int ro; char serial[20]; uint32_t queue_max;
    uint64_t offered;
    /* transport */
    uint32_t status, dev_sel, drv_sel, queue_sel, shm_sel, isr;
    uint64_t driver_features;
    int broken;
    /* the one queue */
    uint32_t qnum, qready; uint64_t desc, avail, used; uint16_t last_avail, used_idx;
    uint8_t config[CONFIG_BYTES];
    /* scratch for one request */
    struct seg rd[MAX_SEGS], wr[MAX_SEGS]; int nrd, nwr;
};

/* ------------------------------------------------------------------ little-endian guest memory */

static int in_ram(struct dev *d, uint64_t gpa, uint64_t len) {
    if (gpa < d->ram_gpa) return 0;
    uint64_t off = gpa - d->ram_gpa;
    return off <= d->ram_size && len <= d->ram_size - off;
}
static uint8_t *at(struct dev *d, uint64_t gpa) { return d->ram + (gpa - d->ram_gpa); }
static uint16_t ld16(struct dev *d, uint64_t g) { uint8_t *p = at(d, g); return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t ld32(struct dev *d, uint64_t g) { uint8_t *p = at(d, g); return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t ld64(struct dev *d, uint64_t g) { return ld32(d, g) | (uint64_t)ld32(d, g + 4) << 32; }
static void st16(struct dev *d, uint64_t g, uint16_t v) { uint8_t *p = at(d, g); p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(struct dev *d, uint64_t g, uint32_t v) { st16(d, g, (uint16_t)v); st16(d, g + 2, (uint16_t)(v >> 16)); }

/* ------------------------------------------------------------------ interrupts */

static void update_line(struct dev *d) {
    int level = d->isr != 0;
    if (level != d->line) {
        d->line = level;
        if (d->irq) d->irq(d->irq_ctx, (uint32_t)level);
    }
}
static void raise_irq(struct dev *d, uint32_t bits) { d->isr |= bits; update_line(d); }

static void needs_reset(struct dev *d) {
    if (d->broken) return;
    d->broken = 1;
    d->status |= S_NEEDS_RESET;
    if (d->status & S_DRIVER_OK) raise_irq(d, INT_CONFIG);
}

/* ------------------------------------------------------------------ reset */

static void device_reset(struct dev *d) {
    d->status = 0; d->dev_sel = d->drv_sel = d->queue_sel = d->shm_sel = 0;
    d->driver_features = 0; d->broken = 0;
    d->qnum = 0; d->qready = 0; d->desc = d->avail = d->used = 0; d->last_avail = d->used_idx = 0;
    d->isr = 0;
    update_line(d);
}

/* ------------------------------------------------------------------ requests */

/* Gathers the chain at head into d->rd / d->wr; 0 on a structural error. */
static int walk(struct dev *d, uint16_t head) {
    uint32_t n = d->qnum, idx = head, count = 0;
    uint64_t total = 0;
    int saw_write = 0;
    d->nrd = d->nwr = 0;
    if (head >= n) return 0;
    for (;;) {
        if (++count > n) return 0;                       /* longer than the table: a loop */
        uint64_t g = d->desc + 16ull * idx;
        uint64_t addr = ld64(d, g);
        uint32_t len = ld32(d, g + 8);
        uint16_t flags = ld16(d, g + 12), next = ld16(d, g + 14);
        if (flags & DESC_F_INDIRECT) return 0;           /* INDIRECT_DESC is not offered */
        int w = (flags & DESC_F_WRITE) != 0;
        if (!w && saw_write) return 0;                    /* readable after writable */
        total += len;
        if (total > 0xffffffffull) return 0;
        if (len && !in_ram(d, addr, len)) return 0;
        if (w) {
            if (d->nwr == MAX_SEGS) return 0;
            d->wr[d->nwr].addr = addr; d->wr[d->nwr++].len = len;
        } else {
            if (d->nrd == MAX_SEGS) return 0;
            d->rd[d->nrd].addr = addr; d->rd[d->nrd++].len = len;
        }
        saw_write |= w;
        if (!(flags & DESC_F_NEXT)) return 1;
        idx = next;
        if (idx >= n) return 0;
    }
}

static uint64_t seg_total(struct seg *s, int n) { uint64_t t = 0; for (int i = 0; i < n; i++) t += s[i].len; return t; }

/* Copies len bytes of the readable stream, starting at stream offset pos, to dst. */
static void read_stream(struct dev *d, uint64_t pos, uint8_t *dst, uint64_t len) {
    for (int i = 0; i < d->nrd && len; i++) {
        uint64_t l = d->rd[i].len;
        if (pos >= l) { pos -= l; continue; }
        uint64_t n = l - pos < len ? l - pos : len;
        memcpy(dst, at(d, d->rd[i].addr + pos), n);
        dst += n; len -= n; pos = 0;
    }
}

/* Writes len bytes (src, or zeros when src is NULL) into the writable stream at stream offset pos. */
static void write_stream(struct dev *d, uint64_t pos, const uint8_t *src, uint64_t len) {
    for (int i = 0; i < d->nwr && len; i++) {
        uint64_t l = d->wr[i].len;
        if (pos >= l) { pos -= l; continue; }
        uint64_t n = l - pos < len ? l - pos : len;
        if (src) { memcpy(at(d, d->wr[i].addr + pos), src, n); src += n; }
        else memset(at(d, d->wr[i].addr + pos), 0, n);
        len -= n; pos = 0;
    }
}

static int range_ok(struct dev *d, uint64_t sector, uint64_t bytes) {
    return bytes % 512 == 0 && sector <= d->capacity && bytes / 512 <= d->capacity - sector;
}

/* Executes one request; returns the used length, or -1 for a structural error. */
static int64_t handle(struct dev *d) {
    uint64_t readable = seg_total(d->rd, d->nrd), writable = seg_total(d->wr, d->nwr);
    if (writable == 0 || readable < 16) return -1;
    uint8_t hdr[16];
    read_stream(d, 0, hdr, 16);
    uint32_t type = hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24;
    uint64_t sector = 0;
    for (int i = 7; i >= 0; i--) sector = sector << 8 | hdr[8 + i];
    uint64_t data_out = readable - 16, data_in = writable - 1, produced = 0;
    uint8_t status;
    switch (type) {
    case T_IN:
        if (!range_ok(d, sector, data_in)) { status = ST_IOERR; break; }
        write_stream(d, 0, d->disk + sector * 512, data_in);
        produced = data_in; status = ST_OK;
        break;
    case T_OUT:
        if (d->ro || !range_ok(d, sector, data_out)) { status = ST_IOERR; break; }
        read_stream(d, 16, d->disk + sector * 512, data_out);
        status = ST_OK;
        break;
    case T_FLUSH:
        status = ST_OK;                                  /* the disk is memory: always durable */
        break;
    case T_GET_ID:
        if (data_in < 20) { status = ST_IOERR; break; }
        write_stream(d, 0, (const uint8_t *)d->serial, 20);
        produced = 20; status = ST_OK;
        break;
    default:
        status = ST_UNSUPP;
    }
    if (data_in > produced) write_stream(d, produced, NULL, data_in - produced);
    write_stream(d, data_in, &status, 1);
    return (int64_t)writable;
}

static void process_queue(struct dev *d) {
    uint32_t n = d->qnum;
    if (n == 0 || (n & (n - 1)) || n > d->queue_max || !in_ram(d, d->desc, 16ull * n)
        || !in_ram(d, d->avail, 6 + 2ull * n) || !in_ram(d, d->used, 6 + 8ull * n)) {
        needs_reset(d);
        return;
    }
    uint16_t avail_idx = ld16(d, d->avail + 2);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);             /* the ring entries after the index (split.drv.*) */
    if ((uint16_t)(avail_idx - d->last_avail) > n) { needs_reset(d); return; }
    uint16_t old_used = d->used_idx;
    while (d->last_avail != avail_idx) {
        uint16_t head = ld16(d, d->avail + 4 + 2ull * (d->last_avail % n));
        int64_t len = walk(d, head) ? handle(d) : -1;
        if (len < 0) { needs_reset(d); break; }
        uint64_t e = d->used + 4 + 8ull * (d->used_idx % n);
        st32(d, e, head);
        st32(d, e + 4, (uint32_t)len);
        __atomic_thread_fence(__ATOMIC_RELEASE);         /* the element before the index (split.dev.*) */
        d->used_idx++;
        st16(d, d->used + 2, d->used_idx);
        d->last_avail++;
    }
    if (d->used_idx != old_used && !(ld16(d, d->avail) & AVAIL_F_NO_INTERRUPT)) raise_irq(d, INT_USED);
}

/* ------------------------------------------------------------------ registers */

static uint32_t read_reg(struct dev *d, uint32_t off) {
    switch (off) {
    case R_MAGIC: return 0x74726976;                     /* "virt" */
    case R_VERSION: return 2;
    case R_DEVICE_ID: return 2;                          /* block */
    case R_VENDOR_ID: return 0x454c5058;                 /* "XPLE" */
    case R_DEVICE_FEATURES:
        return d->dev_sel == 0 ? (uint32_t)d->offered : d->dev_sel == 1 ? (uint32_t)(d->offered >> 32) : 0;
    case R_QUEUE_NUM_MAX: return d->queue_sel == 0 ? d->queue_max : 0;
    case R_QUEUE_READY: return d->queue_sel == 0 ? d->qready : 0;
    case R_INTERRUPT_STATUS: return d->isr;
    case R_STATUS: return d->status;
    case R_SHM_LEN_LOW: case R_SHM_LEN_HIGH: case R_SHM_BASE_LOW: case R_SHM_BASE_HIGH: return 0xffffffffu;
    case R_CONFIG_GENERATION: return 0;                  /* the configuration never changes */
    default: return 0;                                   /* write-only and reserved registers */
    }
}

static void set_addr(uint64_t *a, uint32_t v, int high) {
    *a = high ? (*a & 0xffffffffull) | (uint64_t)v << 32 : (*a & ~0xffffffffull) | v;
}

static void write_reg(struct dev *d, uint32_t off, uint32_t v) {
    int q0 = d->queue_sel == 0, live = q0 && d->qready;
    switch (off) {
    case R_DEVICE_FEATURES_SEL: d->dev_sel = v; break;
    case R_DRIVER_FEATURES_SEL: d->drv_sel = v; break;
    case R_DRIVER_FEATURES:
        if (d->status & S_FEATURES_OK) break;            /* frozen once accepted */
        if (d->drv_sel == 0) d->driver_features = (d->driver_features & ~0xffffffffull) | v;
        else if (d->drv_sel == 1) d->driver_features = (d->driver_features & 0xffffffffull) | (uint64_t)v << 32;
        break;
    case R_QUEUE_SEL: d->queue_sel = v; break;
    case R_QUEUE_NUM: if (q0 && !live) d->qnum = v; break;
    case R_QUEUE_READY:
        if (!q0) break;
        if (v && !d->qready) { d->last_avail = 0; d->used_idx = 0; }
        d->qready = v;
        break;
    case R_QUEUE_DESC_LOW: if (q0 && !live) set_addr(&d->desc, v, 0); break;
    case R_QUEUE_DESC_HIGH: if (q0 && !live) set_addr(&d->desc, v, 1); break;
    case R_QUEUE_DRIVER_LOW: if (q0 && !live) set_addr(&d->avail, v, 0); break;
    case R_QUEUE_DRIVER_HIGH: if (q0 && !live) set_addr(&d->avail, v, 1); break;
    case R_QUEUE_DEVICE_LOW: if (q0 && !live) set_addr(&d->used, v, 0); break;
    case R_QUEUE_DEVICE_HIGH: if (q0 && !live) set_addr(&d->used, v, 1); break;
    case R_QUEUE_NOTIFY:
        if (d->broken || (d->status & (S_DRIVER_OK | S_FEATURES_OK)) != (S_DRIVER_OK | S_FEATURES_OK)) break;
        if (v == 0 && d->qready) process_queue(d);
        break;
    case R_INTERRUPT_ACK: d->isr &= ~(v & (INT_USED | INT_CONFIG)); update_line(d); break;
    case R_STATUS: {
        if (v == 0) { device_reset(d); break; }
        uint32_t add = v & (S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK | S_FAILED) & ~d->status;
        if (add & S_FEATURES_OK) {
            uint64_t f = d->driver_features;
            if ((f & ~d->offered) || !(f & F_VERSION_1)) add &= ~(uint32_t)S_FEATURES_OK;  /* refuse */
        }
        d->status |= add;
        break;
    }
    case R_SHM_SEL: d->shm_sel = v; break;
    default: break;                                      /* read-only and reserved: ignored */
    }
}

/* ------------------------------------------------------------------ the ABI */

uint32_t vtck_abi_version(void) { return VTCK_ABI_VERSION; }

static int parse_config(struct dev *d, const char *config, char *err, size_t err_len) {
    d->capacity = 2048; d->ro = 0; d->queue_max = 256;
    memset(d->serial, 0, sizeof d->serial);
    memcpy(d->serial, "example-blk", 11);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", config ? config : "");
    for (char *save = NULL, *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq) { snprintf(err, err_len, "config item '%s' is not key=value", item); return 0; }
        *eq = 0;
        const char *k = item, *v = eq + 1;
        if (!strcmp(k, "capacity")) d->capacity = strtoull(v, NULL, 0);
        else if (!strcmp(k, "ro")) d->ro = atoi(v) != 0;
        else if (!strcmp(k, "queue_max")) d->queue_max = (uint32_t)strtoul(v, NULL, 0);
        else if (!strcmp(k, "serial")) { memset(d->serial, 0, 20); memcpy(d->serial, v, strnlen(v, 20)); }
        else { snprintf(err, err_len, "unknown config key '%s' (known: capacity, serial, ro, queue_max)", k); return 0; }
    }
    if (d->capacity == 0 || d->capacity > (1ull << 21)) { snprintf(err, err_len, "capacity must be 1..2097152 sectors"); return 0; }
    if (!d->queue_max || (d->queue_max & (d->queue_max - 1)) || d->queue_max > MAX_QUEUE) {
        snprintf(err, err_len, "queue_max must be a power of two <= 32768"); return 0;
    }
    return 1;
}

void *vtck_create(const char *config, void *ram, uint64_t ram_size, uint64_t ram_gpa,
                  vtck_irq_fn irq, void *irq_ctx, char *err, size_t err_len) {
    struct dev *d = calloc(1, sizeof *d);
    if (!d) { snprintf(err, err_len, "out of memory"); return NULL; }
    if (!parse_config(d, config, err, err_len)) { free(d); return NULL; }
    d->disk = calloc(d->capacity, 512);
    if (!d->disk) { snprintf(err, err_len, "cannot allocate the disk"); free(d); return NULL; }
    d->ram = ram; d->ram_size = ram_size; d->ram_gpa = ram_gpa;
    d->irq = irq; d->irq_ctx = irq_ctx;
    d->offered = F_VERSION_1 | F_BLK_FLUSH | (d->ro ? F_BLK_RO : 0);
    for (int i = 0; i < 8; i++) d->config[i] = (uint8_t)(d->capacity >> (8 * i));
    d->config[0x20] = 1;                                 /* writeback: FLUSH offered, the cache mode is writeback */
    device_reset(d);
    return d;
}

void vtck_destroy(void *dev) {
    struct dev *d = dev;
    if (!d) return;
    free(d->disk);
    free(d);
}

static int width_ok(uint32_t width) { return width == 1 || width == 2 || width == 4 || width == 8; }

uint64_t vtck_mmio_read(void *dev, uint64_t offset, uint32_t width) {
    struct dev *d = dev;
    if (!width_ok(width)) return 0;                      /* the ABI's widths only: never index past config[] */
    if (offset >= R_CONFIG) {
        uint64_t v = 0;
        for (int i = (int)width - 1; i >= 0; i--) {
            uint64_t o = offset - R_CONFIG + (uint64_t)i;
            v = v << 8 | (o < CONFIG_BYTES ? d->config[o] : 0);
        }
        return v;
    }
    if (width == 4 && !(offset & 3)) return read_reg(d, (uint32_t)offset);
    /* odd-sized or unaligned access to the registers: the bytes it overlaps, no side effects beyond reads */
    uint64_t v = 0;
    for (int i = (int)width - 1; i >= 0; i--) {
        uint64_t o = offset + (uint64_t)i;
        uint32_t b = o < R_CONFIG ? (read_reg(d, (uint32_t)(o & ~3ull)) >> (8 * (o & 3))) & 0xff
                                  : d->config[o - R_CONFIG];
        v = v << 8 | b;
    }
    return v;
}

void vtck_mmio_write(void *dev, uint64_t offset, uint32_t width, uint64_t value) {
    struct dev *d = dev;
    if (!width_ok(width) || offset >= R_CONFIG) return;  /* no driver-writable configuration field */
    if (width != 4 || (offset & 3)) return;              /* registers are 32-bit only */
    write_reg(d, (uint32_t)offset, (uint32_t)value);
}

int vtck_hard_reset(void *dev) {
    struct dev *d = dev;
    memset(d->disk, 0, d->capacity * 512);
    device_reset(d);
    return 0;
}
