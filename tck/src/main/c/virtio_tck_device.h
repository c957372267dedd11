/*
 * virtio_tck_device.h - the C ABI a device library implements so the VirtIO TCK can certify it.
 *
 * A device library is a shared object (.so / .dylib) exporting the functions below with C linkage. The TCK
 * loads it in its own process (target URI native:/path/libdevice.so?config=...) or hosts it behind a real vCPU
 * (kvm:native:/path/libdevice.so, hvf:native:...). The device is one virtio-mmio device: a register window
 * whose offsets are relative to the transport base (configuration space at 0x100 and up).
 *
 * Threading: the TCK calls a device from one thread at a time (not always the same thread). The interrupt
 * callback may be called from any thread, including from inside vtck_mmio_write.
 *
 * Memory: guest RAM is host memory [ram, ram + ram_size) that the guest sees at guest-physical addresses
 * [ram_gpa, ram_gpa + ram_size). Translate a descriptor address a as ram + (a - ram_gpa) after checking that
 * [a, a + len) lies inside that range. Under kvm: and hvf: this is the very memory mapped into the VM.
 * Guest RAM content is little endian, as virtio requires.
 *
 * Faults: a device must not crash on any guest input. A crash (SIGSEGV, abort) inside the library kills the
 * TCK's JVM when the device is loaded in-process; a call that never returns is reported as a HANG.
 *
 * Versioning: VTCK_ABI_VERSION changes whenever a signature or a rule in this file changes incompatibly. The
 * TCK calls vtck_abi_version() first and refuses a library whose answer it does not support.
 */
#ifndef VIRTIO_TCK_DEVICE_H
#define VIRTIO_TCK_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes. */
#define VTCK_ABI_VERSION 1u

/**
 * Interrupt callback: the level of the device's (level-triggered) interrupt line. virtio-mmio asserts it
 * while InterruptStatus is non-zero. Call it with 1 when the line goes high and 0 when it goes low; repeated
 * calls with the same level are allowed. ctx is the irq_ctx given to vtck_create.
 */
typedef void (*vtck_irq_fn)(void *ctx, uint32_t level);

/** Required. Returns VTCK_ABI_VERSION of the header the library was built against. */
uint32_t vtck_abi_version(void);

/**
 * Required. Creates a device in its power-on state.
 *
 * config   NUL-terminated device configuration (the URI's config= option, "" when absent); its syntax is the
 *          library's own business (the example uses "capacity=N,serial=S,ro=1").
 * ram, ram_size, ram_gpa   guest RAM, see above. ram_size is a multiple of 4096.
 * irq, irq_ctx             interrupt callback and its context.
 * err, err_len             on failure, write a NUL-terminated reason here (at most err_len bytes).
 *
 * Returns an opaque handle, or NULL on failure.
 */
void *vtck_create(const char *config, void *ram, uint64_t ram_size, uint64_t ram_gpa,
                  vtck_irq_fn irq, void *irq_ctx, char *err, size_t err_len);

/** Required. Destroys a device; the handle is not used again. */
void vtck_destroy(void *dev);

/** Required. A register read of width 1, 2, 4 or 8 bytes at offset; the value is in the low width bytes. */
uint64_t vtck_mmio_read(void *dev, uint64_t offset, uint32_t width);

/** Required. A register write of width 1, 2, 4 or 8 bytes at offset; value holds the low width bytes. */
void vtck_mmio_write(void *dev, uint64_t offset, uint32_t width, uint64_t value);

/**
 * Optional. Returns the device to its power-on state, as if destroyed and created again with the same
 * arguments (the line is lowered through the callback if it was high). Returns 0 on success. When the library
 * does not export it, the TCK destroys and creates the device instead.
 */
int vtck_hard_reset(void *dev);

#ifdef __cplusplus
}
#endif

#endif /* VIRTIO_TCK_DEVICE_H */
