package org.virtiotck.tck.adapter.kvm;

import static org.virtiotck.memory.LittleEndian.LE16;
import static org.virtiotck.memory.LittleEndian.LE64;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.virtiotck.tck.adapter.hosted.GuestStubMailbox;
import org.virtiotck.tck.adapter.hosted.VcpuMachine;

/**
 * One KVM virtual machine with one x86-64 vCPU running {@link KvmGuestStub}, an in-kernel irqchip (8259 PICs,
 * IOAPIC, local APIC), two RAM slots (the stub at 0 and the device's guest RAM at
 * {@link KvmGuestStub#RAM_BASE}) and nothing at all at {@link KvmGuestStub#MMIO_BASE}: every guest access there
 * leaves KVM_RUN with KVM_EXIT_MMIO and is handed to the {@link MmioHandler}.
 *
 * <p>Not thread-safe: one thread drives the vCPU at a time (the interrupt line may be driven from anywhere).
 */
public final class KvmMachine implements VcpuMachine {
    // ioctl numbers (linux/kvm.h), _IO/_IOR/_IOW/_IOWR(0xAE, nr, size) precomputed.
    static final long KVM_GET_API_VERSION = 0xae00;
    static final long KVM_CREATE_VM = 0xae01;
    static final long KVM_CHECK_EXTENSION = 0xae03;
    static final long KVM_GET_VCPU_MMAP_SIZE = 0xae04;
    static final long KVM_CREATE_VCPU = 0xae41;
    static final long KVM_SET_USER_MEMORY_REGION = 0x4020ae46L;
    static final long KVM_SET_TSS_ADDR = 0xae47;
    static final long KVM_SET_IDENTITY_MAP_ADDR = 0x4008ae48L;
    static final long KVM_CREATE_IRQCHIP = 0xae60;
    static final long KVM_IRQ_LINE = 0x4008ae61L;
    static final long KVM_GET_IRQCHIP = 0xc208ae62L;
    static final long KVM_IRQ_LINE_STATUS = 0xc008ae67L;
    static final long KVM_RUN = 0xae80;
    static final long KVM_GET_REGS = 0x8090ae81L;
    static final long KVM_SET_REGS = 0x4090ae82L;
    static final long KVM_GET_SREGS = 0x8138ae83L;
    static final long KVM_SET_SREGS = 0x4138ae84L;

    static final int KVM_CAP_IRQCHIP = 0;
    static final int KVM_CAP_USER_MEMORY = 3;

    // exit reasons
    static final int KVM_EXIT_UNKNOWN = 0;
    static final int KVM_EXIT_IO = 2;
    static final int KVM_EXIT_HLT = 5;
    static final int KVM_EXIT_MMIO = 6;
    static final int KVM_EXIT_SHUTDOWN = 8;
    static final int KVM_EXIT_FAIL_ENTRY = 9;
    static final int KVM_EXIT_INTR = 10;
    static final int KVM_EXIT_INTERNAL_ERROR = 17;

    // struct kvm_run offsets
    private static final long RUN_EXIT_REASON = 8;
    private static final long RUN_IO_DIRECTION = 32;
    private static final long RUN_IO_SIZE = 33;
    private static final long RUN_IO_PORT = 34;
    private static final long RUN_MMIO_PHYS = 32;
    private static final long RUN_MMIO_DATA = 40;
    private static final long RUN_MMIO_LEN = 48;
    private static final long RUN_MMIO_IS_WRITE = 52;


    private final int kvmFd;
    private final int vmFd;
    private final int vcpuFd;
    private final MemorySegment run;
    private final MemorySegment stub;
    private final MemorySegment ram;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment irqLevel;
    private MmioHandler handler;
    private boolean closed;

    // statistics: what the vCPU did
    private long runs;
    private long mmioExits;
    private long ioExits;
    private final long[] mmioByWidth = new long[9];
    private long lastMmioGpa = -1;
    private int lastMmioLen;
    private boolean lastMmioWrite;

    /**
     * Why KVM cannot be used here, or null when it can: /dev/kvm missing, not accessible, not x86-64 or too old.
     */
    public static String unavailableReason() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "KVM needs Linux; this is " + os;
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return "the KVM adapter's guest is x86-64 code; this is " + arch;
        }
        Path dev = Path.of("/dev/kvm");
        if (!Files.exists(dev)) {
            return "/dev/kvm does not exist (no KVM module, or not passed into this container)";
        }
        if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
            return "/dev/kvm is not accessible to this user (add the user to the kvm group)";
        }
        int fd;
        try {
            fd = LinuxSys.open("/dev/kvm", LinuxSys.O_RDWR | LinuxSys.O_CLOEXEC);
        } catch (RuntimeException e) {
            return "cannot open /dev/kvm: " + e.getMessage();
        }
        try {
            int api = LinuxSys.ioctl(fd, KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION");
            if (api != 12) {
                return "KVM API version " + api + " (expected 12)";
            }
            if (LinuxSys.ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP, "KVM_CHECK_EXTENSION") <= 0) {
                return "KVM has no in-kernel irqchip (KVM_CAP_IRQCHIP)";
            }
            return null;
        } catch (RuntimeException e) {
            return "KVM probe failed: " + e.getMessage();
        } finally {
            LinuxSys.close(fd);
        }
    }

    /** Creates the VM with {@code ramBytes} of device guest RAM (a multiple of 4096) at RAM_BASE. */
    public KvmMachine(long ramBytes) {
        int kvm = -1;
        int vm = -1;
        int vcpu = -1;
        try {
            kvm = LinuxSys.open("/dev/kvm", LinuxSys.O_RDWR | LinuxSys.O_CLOEXEC);
            int api = LinuxSys.ioctl(kvm, KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION");
            if (api != 12) {
                throw new IllegalStateException("KVM API version " + api + ", expected 12");
            }
            vm = LinuxSys.ioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
            // Intel VMX needs a TSS and identity-map page somewhere harmless in guest-physical space.
            LinuxSys.ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000L, "KVM_SET_TSS_ADDR");
            MemorySegment idmap = arena.allocate(8);
            idmap.set(ValueLayout.JAVA_LONG, 0, 0xfffbc000L);
            LinuxSys.ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, idmap, "KVM_SET_IDENTITY_MAP_ADDR");
            LinuxSys.ioctl(vm, KVM_CREATE_IRQCHIP, 0, "KVM_CREATE_IRQCHIP");

            stub = LinuxSys.mmap(KvmGuestStub.STUB_SIZE, LinuxSys.PROT_READ | LinuxSys.PROT_WRITE,
                    LinuxSys.MAP_PRIVATE | LinuxSys.MAP_ANONYMOUS | LinuxSys.MAP_NORESERVE, -1, 0, "stub RAM");
            ram = LinuxSys.mmap(ramBytes, LinuxSys.PROT_READ | LinuxSys.PROT_WRITE,
                    LinuxSys.MAP_PRIVATE | LinuxSys.MAP_ANONYMOUS | LinuxSys.MAP_NORESERVE, -1, 0, "guest RAM");
            setRegion(vm, 0, 0, stub);
            setRegion(vm, 1, KvmGuestStub.RAM_BASE, ram);
            KvmGuestStub.install(stub);

            vcpu = LinuxSys.ioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
            int runSize = LinuxSys.ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
            run = LinuxSys.mmap(runSize, LinuxSys.PROT_READ | LinuxSys.PROT_WRITE, LinuxSys.MAP_SHARED, vcpu, 0,
                    "kvm_run");
            enterLongMode(vcpu);
            irqLevel = arena.allocate(8);
        } catch (RuntimeException e) {
            if (vcpu >= 0) {
                LinuxSys.close(vcpu);
            }
            if (vm >= 0) {
                LinuxSys.close(vm);
            }
            if (kvm >= 0) {
                LinuxSys.close(kvm);
            }
            arena.close();
            throw e;
        }
        this.kvmFd = kvm;
        this.vmFd = vm;
        this.vcpuFd = vcpu;
        // First run: the stub programs the PIC, enables interrupts and reports in on the done port.
        this.handler = new MmioHandler() {
            @Override
            public long read(long gpa, int width) {
                throw new IllegalStateException("guest touched MMIO before any device was attached");
            }

            @Override
            public void write(long gpa, int width, long value) {
                throw new IllegalStateException("guest touched MMIO before any device was attached");
            }
        };
        execute(GuestStubMailbox.OP_NONE, 0, 0, 0);
    }

    private void setRegion(int vm, int slot, long gpa, MemorySegment host) {
        MemorySegment region = arena.allocate(32, 8);
        region.set(ValueLayout.JAVA_INT, 0, slot);
        region.set(ValueLayout.JAVA_INT, 4, 0);
        region.set(ValueLayout.JAVA_LONG, 8, gpa);
        region.set(ValueLayout.JAVA_LONG, 16, host.byteSize());
        region.set(ValueLayout.JAVA_LONG, 24, host.address());
        LinuxSys.ioctl(vm, KVM_SET_USER_MEMORY_REGION, region, "KVM_SET_USER_MEMORY_REGION slot " + slot);
    }

    private void enterLongMode(int vcpu) {
        MemorySegment sregs = arena.allocate(312, 8);
        LinuxSys.ioctl(vcpu, KVM_GET_SREGS, sregs, "KVM_GET_SREGS");
        // struct kvm_segment (24 bytes): base u64, limit u32, selector u16, type, present, dpl, db, s, l, g, avl,
        // unusable, padding. Order in kvm_sregs: cs, ds, es, fs, gs, ss, tr, ldt.
        segment(sregs, 0, 0x08, 11, 0, 1, 1);          // cs: 64-bit code
        for (int i = 1; i <= 5; i++) {
            segment(sregs, i * 24L, 0x10, 3, 1, 1, 0); // ds, es, fs, gs, ss: flat data
        }
        long tr = 6 * 24L;
        sregs.set(ValueLayout.JAVA_LONG, tr, 0);
        sregs.set(ValueLayout.JAVA_INT, tr + 8, 0x67);
        sregs.set(ValueLayout.JAVA_SHORT, tr + 12, (short) 0x18);
        sregs.set(ValueLayout.JAVA_BYTE, tr + 14, (byte) 11); // busy 64-bit TSS
        sregs.set(ValueLayout.JAVA_BYTE, tr + 15, (byte) 1);
        sregs.set(ValueLayout.JAVA_BYTE, tr + 18, (byte) 0);
        sregs.set(ValueLayout.JAVA_BYTE, tr + 23 - 1, (byte) 0); // not unusable
        // gdt and idt (struct kvm_dtable: base u64, limit u16, padding)
        sregs.set(ValueLayout.JAVA_LONG, 192, KvmGuestStub.GDT);
        sregs.set(ValueLayout.JAVA_SHORT, 200, (short) 23);
        sregs.set(ValueLayout.JAVA_LONG, 208, KvmGuestStub.IDT);
        sregs.set(ValueLayout.JAVA_SHORT, 216, (short) (256 * 16 - 1));
        sregs.set(ValueLayout.JAVA_LONG, 224, 0x80050033L);   // cr0: PG, WP, NE, ET, MP, PE
        sregs.set(ValueLayout.JAVA_LONG, 240, KvmGuestStub.PML4); // cr3
        sregs.set(ValueLayout.JAVA_LONG, 248, 0x20L);          // cr4: PAE
        sregs.set(ValueLayout.JAVA_LONG, 264, 0x500L);         // efer: LME, LMA
        LinuxSys.ioctl(vcpu, KVM_SET_SREGS, sregs, "KVM_SET_SREGS");

        MemorySegment regs = arena.allocate(144, 8);
        regs.set(ValueLayout.JAVA_LONG, 6 * 8L, KvmGuestStub.STACK_TOP);                          // rsp
        regs.set(ValueLayout.JAVA_LONG, 16 * 8L, KvmGuestStub.CODE_BASE + KvmGuestStub.ENTRY);    // rip
        regs.set(ValueLayout.JAVA_LONG, 17 * 8L, 0x2L);                                           // rflags
        LinuxSys.ioctl(vcpu, KVM_SET_REGS, regs, "KVM_SET_REGS");
    }

    private static void segment(MemorySegment sregs, long at, int selector, int type, int db, int s, int l) {
        sregs.set(ValueLayout.JAVA_LONG, at, 0);
        sregs.set(ValueLayout.JAVA_INT, at + 8, 0xffffffff);
        sregs.set(ValueLayout.JAVA_SHORT, at + 12, (short) selector);
        sregs.set(ValueLayout.JAVA_BYTE, at + 14, (byte) type);
        sregs.set(ValueLayout.JAVA_BYTE, at + 15, (byte) 1);   // present
        sregs.set(ValueLayout.JAVA_BYTE, at + 16, (byte) 0);   // dpl
        sregs.set(ValueLayout.JAVA_BYTE, at + 17, (byte) db);
        sregs.set(ValueLayout.JAVA_BYTE, at + 18, (byte) s);
        sregs.set(ValueLayout.JAVA_BYTE, at + 19, (byte) l);
        sregs.set(ValueLayout.JAVA_BYTE, at + 20, (byte) 1);   // g
        sregs.set(ValueLayout.JAVA_BYTE, at + 21, (byte) 0);   // avl
        sregs.set(ValueLayout.JAVA_BYTE, at + 22, (byte) 0);   // unusable
    }

    /** The device's guest RAM (mapped into the VM at RAM_BASE): the harness and the device share these bytes. */
    public MemorySegment ram() {
        return ram;
    }

    public void handler(MmioHandler handler) {
        this.handler = handler;
    }

    /** The guest reads {@code width} bytes at {@code gpa}, with one instruction of that width. */
    public long guestRead(long gpa, int width) {
        return execute(GuestStubMailbox.OP_READ, width, gpa, 0);
    }

    /** The guest writes {@code width} bytes of {@code value} at {@code gpa}, with one instruction of that width. */
    public void guestWrite(long gpa, int width, long value) {
        execute(GuestStubMailbox.OP_WRITE, width, gpa, value);
    }

    /** Lets the guest run its loop once without an access (it takes any pending interrupt). */
    public void guestSync() {
        execute(GuestStubMailbox.OP_NONE, 0, 0, 0);
    }

    private long execute(int op, int width, long gpa, long value) {
        if (closed) {
            throw new IllegalStateException("the VM is closed");
        }
        if (op != GuestStubMailbox.OP_NONE && width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("access width must be 1, 2, 4 or 8, got " + width);
        }
        long mb = KvmGuestStub.MAILBOX;
        GuestStubMailbox.post(stub, mb, op, width, gpa, value);
        while (true) {
            int r = LinuxSys.ioctlRaw(vcpuFd, KVM_RUN, 0);
            runs++;
            if (r == -LinuxSys.EINTR || r == -LinuxSys.EAGAIN) {
                continue;
            }
            if (r < 0) {
                throw new KvmError("KVM_RUN failed: " + LinuxSys.strerror(-r) + " (errno " + -r + ")");
            }
            int reason = run.get(ValueLayout.JAVA_INT, RUN_EXIT_REASON);
            switch (reason) {
                case KVM_EXIT_MMIO -> mmio();
                case KVM_EXIT_IO -> {
                    ioExits++;
                    int port = Short.toUnsignedInt(run.get(ValueLayout.JAVA_SHORT, RUN_IO_PORT));
                    int dir = run.get(ValueLayout.JAVA_BYTE, RUN_IO_DIRECTION);
                    if (port == KvmGuestStub.DONE_PORT && dir == 1) {
                        return op == GuestStubMailbox.OP_READ
                                ? GuestStubMailbox.value(stub, mb) & mask(width) : 0;
                    }
                    throw new KvmError("unexpected guest port " + (dir == 1 ? "write" : "read") + " of 0x"
                            + Integer.toHexString(port) + " (size " + run.get(ValueLayout.JAVA_BYTE, RUN_IO_SIZE) + ")"
                            + regsDump());
                }
                case KVM_EXIT_INTR -> { /* a signal; run again */ }
                case KVM_EXIT_SHUTDOWN -> throw new KvmError("guest triple-faulted (KVM_EXIT_SHUTDOWN)" + regsDump());
                case KVM_EXIT_FAIL_ENTRY -> throw new KvmError("VM entry failed (KVM_EXIT_FAIL_ENTRY, reason 0x"
                        + Long.toHexString(run.get(ValueLayout.JAVA_LONG, 32)) + ")");
                case KVM_EXIT_INTERNAL_ERROR -> throw new KvmError("KVM internal error, suberror "
                        + run.get(ValueLayout.JAVA_INT, 32) + regsDump());
                case KVM_EXIT_HLT -> throw new KvmError("guest halted" + regsDump());
                default -> throw new KvmError("unexpected KVM exit reason " + reason + regsDump());
            }
        }
    }

    private static long mask(int width) {
        return width == 8 ? -1L : (1L << (width * 8)) - 1;
    }

    private void mmio() {
        long gpa = run.get(ValueLayout.JAVA_LONG, RUN_MMIO_PHYS);
        int len = run.get(ValueLayout.JAVA_INT, RUN_MMIO_LEN);
        boolean isWrite = run.get(ValueLayout.JAVA_BYTE, RUN_MMIO_IS_WRITE) != 0;
        mmioExits++;
        if (len > 0 && len <= 8) {
            mmioByWidth[len]++;
        }
        lastMmioGpa = gpa;
        lastMmioLen = len;
        lastMmioWrite = isWrite;
        if (isWrite) {
            long v = 0;
            for (int i = 0; i < len; i++) {
                v |= (run.get(ValueLayout.JAVA_BYTE, RUN_MMIO_DATA + i) & 0xffL) << (8 * i);
            }
            handler.write(gpa, len, v);
        } else {
            long v = handler.read(gpa, len);
            for (int i = 0; i < 8; i++) {
                run.set(ValueLayout.JAVA_BYTE, RUN_MMIO_DATA + i, i < len ? (byte) (v >>> (8 * i)) : 0);
            }
        }
    }

    private String regsDump() {
        try {
            MemorySegment regs = arena.allocate(144, 8);
            LinuxSys.ioctl(vcpuFd, KVM_GET_REGS, regs, "KVM_GET_REGS");
            return String.format(" [rip=0x%x rsp=0x%x rax=0x%x rdi=0x%x]", regs.get(ValueLayout.JAVA_LONG, 128),
                    regs.get(ValueLayout.JAVA_LONG, 48), regs.get(ValueLayout.JAVA_LONG, 0),
                    regs.get(ValueLayout.JAVA_LONG, 40));
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Drives the irqchip input {@link KvmGuestStub#IRQ} (KVM_IRQ_LINE); safe from any thread. */
    public synchronized void irqLine(boolean level) {
        if (closed) {
            return;
        }
        irqLevel.set(ValueLayout.JAVA_INT, 0, KvmGuestStub.IRQ);
        irqLevel.set(ValueLayout.JAVA_INT, 4, level ? 1 : 0);
        LinuxSys.ioctl(vmFd, KVM_IRQ_LINE, irqLevel, "KVM_IRQ_LINE");
    }

    /** The master 8259's interrupt request register as KVM holds it (KVM_GET_IRQCHIP, chip 0). */
    public int picIrr() {
        MemorySegment chip = arena.allocate(520, 8);
        chip.set(ValueLayout.JAVA_INT, 0, 0); // KVM_IRQCHIP_PIC_MASTER
        LinuxSys.ioctl(vmFd, KVM_GET_IRQCHIP, chip, "KVM_GET_IRQCHIP");
        // struct kvm_pic_state starts at offset 8: last_irr, irr, imr, isr, ...
        return Byte.toUnsignedInt(chip.get(ValueLayout.JAVA_BYTE, 9));
    }

    /** The master 8259's interrupt mask register (what the guest programmed). */
    public int picImr() {
        MemorySegment chip = arena.allocate(520, 8);
        chip.set(ValueLayout.JAVA_INT, 0, 0);
        LinuxSys.ioctl(vmFd, KVM_GET_IRQCHIP, chip, "KVM_GET_IRQCHIP");
        return Byte.toUnsignedInt(chip.get(ValueLayout.JAVA_BYTE, 10));
    }

    /** Interrupts the guest has taken (its IRQ5 handler's count in the mailbox). */
    public long guestInterrupts() {
        return stub.get(LE64, KvmGuestStub.MAILBOX + KvmGuestStub.MB_IRQ_COUNT);
    }

    /** The vector of the last interrupt the guest took, 0 if none. */
    public int guestLastVector() {
        return (int) stub.get(LE64, KvmGuestStub.MAILBOX + KvmGuestStub.MB_IRQ_VECTOR);
    }

    public long runs() {
        return runs;
    }

    public long mmioExits() {
        return mmioExits;
    }

    public long ioExits() {
        return ioExits;
    }

    /** MMIO exits of each width (index 1, 2, 4, 8). */
    public long mmioExits(int width) {
        return mmioByWidth[width];
    }

    public long lastMmioGpa() {
        return lastMmioGpa;
    }

    public int lastMmioLen() {
        return lastMmioLen;
    }

    public boolean lastMmioWrite() {
        return lastMmioWrite;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LinuxSys.munmap(run);
        LinuxSys.close(vcpuFd);
        LinuxSys.close(vmFd);
        LinuxSys.close(kvmFd);
        LinuxSys.munmap(stub);
        LinuxSys.munmap(ram);
        arena.close();
    }

    /** The VM itself failed (entry failure, triple fault, unexpected exit): a harness-side problem. */
    public static final class KvmError extends VcpuMachine.Failure {
        private static final long serialVersionUID = 1L;

        KvmError(String message) {
            super(message);
        }
    }
}
