package org.virtiotck.tck.adapter.hvf;

import static org.virtiotck.memory.LittleEndian.LE64;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.virtiotck.tck.adapter.hosted.GuestStubMailbox;
import org.virtiotck.tck.adapter.hosted.VcpuMachine;

/**
 * The VMM of the HVF target: one VM, one arm64 vCPU running {@link HvfGuestStub}, guest RAM shared with the hosted
 * device, and the virtio-mmio window left unmapped so every guest access to it is a data abort the VMM decodes
 * (ISV, SAS, SSE, SRT, SF, WnR and the faulting IPA), dispatches to the {@link MmioHandler}, completes by reading
 * or writing the transfer register, and finishes by advancing the PC past the instruction.
 *
 * <p>Hypervisor.framework binds a vCPU to the thread that created it, so every platform call runs on one
 * dedicated "hvf-vcpu" thread owned by this machine.
 */
public final class HvfMachine implements VcpuMachine {

    private final HvfPlatform platform;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hvf-vcpu");
        t.setDaemon(true);
        return t;
    });
    private final Arena arena = Arena.ofShared();
    private final MemorySegment stub;
    private final MemorySegment ram;
    private long vcpu;
    private volatile boolean irq;
    private MmioHandler handler;
    private boolean closed;

    private long dataAborts;
    private long hvcExits;
    private final long[] abortsByWidth = new long[9];
    private DataAbort lastAbort;

    public HvfMachine(HvfPlatform platform, long ramBytes) {
        if (ramBytes % 16384 != 0) {
            throw new IllegalArgumentException("HVF guest RAM must be a multiple of 16 KiB, got " + ramBytes);
        }
        this.platform = platform;
        this.stub = arena.allocate(HvfGuestStub.STUB_SIZE, 16384);
        this.ram = arena.allocate(ramBytes, 16384);
        byte[] code = HvfGuestStub.PROGRAM.bytes();
        MemorySegment.copy(code, 0, stub, ValueLayout.JAVA_BYTE, 0, code.length);
        this.handler = new MmioHandler() {
            @Override
            public long read(long ipa, int width) {
                throw new IllegalStateException("MMIO before a device was attached");
            }

            @Override
            public void write(long ipa, int width, long value) {
                throw new IllegalStateException("MMIO before a device was attached");
            }
        };
        try {
            onVcpu(() -> {
                platform.vmCreate();
                platform.vmMap(stub, HvfGuestStub.STUB_BASE,
                        HvfPlatform.MEMORY_READ | HvfPlatform.MEMORY_WRITE | HvfPlatform.MEMORY_EXEC);
                platform.vmMap(ram, HvfGuestStub.RAM_BASE, HvfPlatform.MEMORY_READ | HvfPlatform.MEMORY_WRITE);
                vcpu = platform.vcpuCreate();
                platform.setReg(vcpu, HvfPlatform.REG_CPSR, HvfGuestStub.CPSR_EL1H_MASKED);
                platform.setReg(vcpu, HvfPlatform.REG_PC, HvfGuestStub.STUB_BASE);
                platform.setReg(vcpu, HvfGuestStub.MAILBOX_REG, HvfGuestStub.MAILBOX);
                return null;
            });
        } catch (RuntimeException e) {
            thread.shutdownNow();
            arena.close();
            throw e;
        }
    }

    private <T> T onVcpu(Callable<T> body) {
        Future<T> f = thread.submit(body);
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the vCPU ran");
        }
    }

    public String platformName() {
        return platform.name();
    }

    public MemorySegment ram() {
        return ram;
    }

    public void handler(MmioHandler handler) {
        this.handler = handler;
    }

    /** The device's interrupt line: made pending on the vCPU (as an IRQ) before every run while high. */
    public void irqLine(boolean level) {
        irq = level;
    }

    public long guestRead(long ipa, int width) {
        return execute(GuestStubMailbox.OP_READ, width, ipa, 0);
    }

    public void guestWrite(long ipa, int width, long value) {
        execute(GuestStubMailbox.OP_WRITE, width, ipa, value);
    }

    /** ISR_EL1 as the guest read it after its last access (bit 7: an IRQ was pending). */
    public long guestIsr() {
        return stub.get(LE64, HvfGuestStub.MAILBOX - HvfGuestStub.STUB_BASE + HvfGuestStub.MB_ISR);
    }

    private long execute(int op, int width, long ipa, long value) {
        if (closed) {
            throw new IllegalStateException("the VM is closed");
        }
        if (width != 1 && width != 2 && width != 4 && width != 8) {
            throw new IllegalArgumentException("access width must be 1, 2, 4 or 8, got " + width);
        }
        long mb = HvfGuestStub.MAILBOX - HvfGuestStub.STUB_BASE;
        GuestStubMailbox.post(stub, mb, op, width, ipa, value);
        return onVcpu(() -> {
            while (true) {
                platform.setPendingIrq(vcpu, irq);
                HvfPlatform.Exit exit = platform.vcpuRun(vcpu);
                switch (exit.reason()) {
                    case HvfPlatform.EXIT_EXCEPTION -> {
                        long esr = exit.syndrome();
                        int ec = DataAbort.exceptionClass(esr);
                        if (ec == DataAbort.EC_DATA_ABORT_LOWER) {
                            dataAbort(DataAbort.decode(esr, exit.physicalAddress()));
                        } else if (ec == DataAbort.EC_HVC64) {
                            hvcExits++;
                            if (op != GuestStubMailbox.OP_READ) {
                                return 0L;
                            }
                            long v = GuestStubMailbox.value(stub, mb);
                            return width == 8 ? v : v & ((1L << (8 * width)) - 1);
                        } else {
                            throw new HvfError(String.format("unexpected guest exception: EC 0x%x, syndrome 0x%x, "
                                    + "PC 0x%x", ec, esr, platform.getReg(vcpu, HvfPlatform.REG_PC)));
                        }
                    }
                    case HvfPlatform.EXIT_CANCELED, HvfPlatform.EXIT_VTIMER_ACTIVATED -> { /* run again */ }
                    default -> throw new HvfError("unexpected vCPU exit reason " + exit.reason());
                }
            }
        });
    }

    /** Emulates the trapped load or store and steps over it. */
    private void dataAbort(DataAbort a) {
        if (!a.isv()) {
            throw new HvfError(String.format("data abort at IPA 0x%x without a valid instruction syndrome (ISV=0): "
                    + "the access cannot be emulated", a.ipa()));
        }
        dataAborts++;
        abortsByWidth[a.width()]++;
        lastAbort = a;
        if (a.write()) {
            long reg = a.register() == 31 ? 0 : platform.getReg(vcpu, a.register());
            handler.write(a.ipa(), a.width(), a.storedValue(reg));
        } else {
            long raw = handler.read(a.ipa(), a.width());
            if (a.register() != 31) {
                platform.setReg(vcpu, a.register(), a.loadedValue(raw));
            }
        }
        platform.setReg(vcpu, HvfPlatform.REG_PC, platform.getReg(vcpu, HvfPlatform.REG_PC) + 4);
    }

    public long dataAborts() {
        return dataAborts;
    }

    public long dataAborts(int width) {
        return abortsByWidth[width];
    }

    public long hvcExits() {
        return hvcExits;
    }

    public DataAbort lastAbort() {
        return lastAbort;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onVcpu(() -> {
                platform.vcpuDestroy(vcpu);
                platform.vmDestroy();
                return null;
            });
        } catch (RuntimeException ignored) {
            // best effort
        }
        thread.shutdownNow();
        arena.close();
    }

    /** The VM failed in a way the VMM cannot continue from. */
    public static final class HvfError extends VcpuMachine.Failure {
        private static final long serialVersionUID = 1L;

        HvfError(String message) {
            super(message);
        }
    }
}
