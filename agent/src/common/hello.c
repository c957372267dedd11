/* The hello line: who the agent is, its footprint, the RAM it leaves free, and the transports it found. */
#include "agent.h"


static void probe_devices(const struct agent_boot *boot, char *p, char *end)
{
    int first = 1;
    p = agent_put_str(p, " devices=");
    for (int i = 0; i < boot->ndevices && p + 40 < end; i++) {
        uint64_t base = boot->devices[i];
        agent_fault_hit = 0;
        uint64_t magic = agent_rd32(base);
        if (agent_fault_hit || magic != 0x74726976) {
            continue;
        }
        uint64_t version = agent_rd32(base + 4);
        uint64_t id = agent_rd32(base + 8);
        if (agent_fault_hit || id == 0) {
            continue; /* an empty transport slot */
        }
        if (!first) {
            *p++ = ',';
        }
        first = 0;
        p = agent_put_str(p, "0x");
        p = agent_put_hex(p, base, 1);
        *p++ = ':';
        p = agent_put_hex(p, id, 1);
        *p++ = ':';
        p = agent_put_hex(p, version, 1);
    }
    if (first) {
        p = agent_put_str(p, "none");
    }
    *p = 0;
}

/* The largest piece of RAM that does not hold the agent, aligned to 1 MiB (and above the first MiB). */
static struct agent_region choose_free_ram(const struct agent_boot *boot)
{
    const uint64_t mib = 1u << 20;
    struct agent_region free_ram = {0, 0};
    uint64_t lo_img = boot->image_base;
    uint64_t hi_img = boot->image_base + boot->image_size;
    for (int i = 0; i < boot->nram; i++) {
        uint64_t pieces[2][2] = {
            {boot->ram[i].base, boot->ram[i].base + boot->ram[i].size},
            {0, 0},
        };
        if (agent_overlaps(pieces[0][0], boot->ram[i].size, lo_img, boot->image_size)) {
            pieces[1][0] = hi_img;
            pieces[1][1] = pieces[0][1];
            pieces[0][1] = lo_img;
        }
        for (int k = 0; k < 2; k++) {
            uint64_t s = (pieces[k][0] + mib - 1) & ~(mib - 1);
            uint64_t e = pieces[k][1] & ~(mib - 1);
            if (s < mib) {
                s = mib;
            }
            if (e > s && e - s > free_ram.size) {
                free_ram.base = s;
                free_ram.size = e - s;
            }
        }
    }
    return free_ram;
}

void agent_build_hello(struct agent_boot *boot, char *hello, size_t size)
{
    char *p = hello;
    char *end = hello + size;
    struct agent_region free_ram = choose_free_ram(boot);
    p = agent_put_str(p, AGENT_NAME " " AGENT_VERSION " arch=");
    p = agent_put_str(p, boot->arch);
    p = agent_put_str(p, " boot=");
    p = agent_put_str(p, boot->boot);
    p = agent_put_str(p, " uart=");
    p = agent_put_str(p, boot->uart);
    p = agent_put_str(p, " image=0x");
    p = agent_put_hex(p, boot->image_base, 1);
    p = agent_put_str(p, "+0x");
    p = agent_put_hex(p, boot->image_size, 1);
    p = agent_put_str(p, " ram=");
    if (free_ram.size) {
        p = agent_put_str(p, "0x");
        p = agent_put_hex(p, free_ram.base, 1);
        p = agent_put_str(p, "+0x");
        p = agent_put_hex(p, free_ram.size, 1);
    } else {
        p = agent_put_str(p, "unknown");
    }
    probe_devices(boot, p, end);
}
