package org.virtiotck.tck.adapter.hvf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The real {@link HvfPlatform}: Hypervisor.framework on macOS/arm64, bound with the FFM API. Compiled everywhere,
 * loaded only on a Mac with Apple Silicon. The process needs the {@code com.apple.security.hypervisor} entitlement
 * (see docs/hvf.md), otherwise hv_vm_create fails with HV_DENIED.
 */
public final class HypervisorFramework implements HvfPlatform {
    public static final Path FRAMEWORK = Path.of("/System/Library/Frameworks/Hypervisor.framework/Hypervisor");
    private static final int HV_SUCCESS = 0;

    private final Arena arena = Arena.ofShared();
    private final MethodHandle vmCreate;
    private final MethodHandle vmDestroy;
    private final MethodHandle vmMap;
    private final MethodHandle vcpuCreate;
    private final MethodHandle vcpuDestroy;
    private final MethodHandle vcpuRun;
    private final MethodHandle getReg;
    private final MethodHandle setReg;
    private final MethodHandle setPending;
    private final MemorySegment regOut;
    private MemorySegment exit;

    /** Why the real backend cannot be used here, or null. */
    public static String unavailableReason() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("mac")) {
            return "Hypervisor.framework exists only on macOS; this is " + System.getProperty("os.name");
        }
        if (!arch.equals("aarch64")) {
            return "the HVF target's guest is arm64 code; this Mac is " + arch;
        }
        if (!FRAMEWORK.toFile().exists()) {
            return FRAMEWORK + " is missing";
        }
        return null;
    }

    public HypervisorFramework() {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException(why);
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup hv = SymbolLookup.libraryLookup(FRAMEWORK, arena);
        ValueLayout.OfInt ret = ValueLayout.JAVA_INT;
        vmCreate = linker.downcallHandle(find(hv, "hv_vm_create"), FunctionDescriptor.of(ret, ValueLayout.ADDRESS));
        vmDestroy = linker.downcallHandle(find(hv, "hv_vm_destroy"), FunctionDescriptor.of(ret));
        vmMap = linker.downcallHandle(find(hv, "hv_vm_map"), FunctionDescriptor.of(ret, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        vcpuCreate = linker.downcallHandle(find(hv, "hv_vcpu_create"), FunctionDescriptor.of(ret,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        vcpuDestroy = linker.downcallHandle(find(hv, "hv_vcpu_destroy"), FunctionDescriptor.of(ret,
                ValueLayout.JAVA_LONG));
        vcpuRun = linker.downcallHandle(find(hv, "hv_vcpu_run"), FunctionDescriptor.of(ret, ValueLayout.JAVA_LONG));
        getReg = linker.downcallHandle(find(hv, "hv_vcpu_get_reg"), FunctionDescriptor.of(ret, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        setReg = linker.downcallHandle(find(hv, "hv_vcpu_set_reg"), FunctionDescriptor.of(ret, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        setPending = linker.downcallHandle(find(hv, "hv_vcpu_set_pending_interrupt"), FunctionDescriptor.of(ret,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_BOOLEAN));
        regOut = arena.allocate(8);
    }

    private static MemorySegment find(SymbolLookup hv, String name) {
        return hv.find(name).orElseThrow(() -> new IllegalStateException("Hypervisor.framework has no " + name));
    }

    private static void check(int r, String what) {
        if (r != HV_SUCCESS) {
            String name = switch (r) {
                case 0xfae94001 -> "HV_ERROR";
                case 0xfae94002 -> "HV_BUSY";
                case 0xfae94003 -> "HV_BAD_ARGUMENT";
                case 0xfae94005 -> "HV_NO_RESOURCES";
                case 0xfae94006 -> "HV_NO_DEVICE";
                case 0xfae94007 -> "HV_DENIED (is the java launcher signed with com.apple.security.hypervisor?)";
                case 0xfae9400f -> "HV_UNSUPPORTED";
                default -> String.format("0x%08x", r);
            };
            throw new IllegalStateException(what + " failed: " + name);
        }
    }

    @Override
    public String name() {
        return "Hypervisor.framework";
    }

    private static int call(MethodHandle h, Object... args) {
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void vmCreate() {
        check(call(vmCreate, MemorySegment.NULL), "hv_vm_create");
    }

    @Override
    public void vmMap(MemorySegment host, long ipa, int flags) {
        check(call(vmMap, host, ipa, host.byteSize(), (long) flags), "hv_vm_map");
    }

    @Override
    public long vcpuCreate() {
        MemorySegment id = arena.allocate(8);
        MemorySegment exitPtr = arena.allocate(ValueLayout.ADDRESS);
        check(call(vcpuCreate, id, exitPtr, MemorySegment.NULL), "hv_vcpu_create");
        // hv_vcpu_exit_t: reason u32 @0; exception { syndrome u64 @8, virtual_address u64 @16, physical_address @24 }
        exit = exitPtr.get(ValueLayout.ADDRESS, 0).reinterpret(32);
        return id.get(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public Exit vcpuRun(long vcpu) {
        check(call(vcpuRun, vcpu), "hv_vcpu_run");
        return new Exit(exit.get(ValueLayout.JAVA_INT, 0), exit.get(ValueLayout.JAVA_LONG, 8),
                exit.get(ValueLayout.JAVA_LONG, 16), exit.get(ValueLayout.JAVA_LONG, 24));
    }

    @Override
    public long getReg(long vcpu, int reg) {
        check(call(getReg, vcpu, reg, regOut), "hv_vcpu_get_reg");
        return regOut.get(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public void setReg(long vcpu, int reg, long value) {
        check(call(setReg, vcpu, reg, value), "hv_vcpu_set_reg");
    }

    @Override
    public void setPendingIrq(long vcpu, boolean pending) {
        check(call(setPending, vcpu, 0 /* HV_INTERRUPT_TYPE_IRQ */, pending), "hv_vcpu_set_pending_interrupt");
    }

    @Override
    public void vcpuDestroy(long vcpu) {
        call(vcpuDestroy, vcpu);
    }

    @Override
    public void vmDestroy() {
        call(vmDestroy);
    }
}
