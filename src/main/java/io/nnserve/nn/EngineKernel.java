package io.nnserve.nn;

import java.util.Locale;

/**
 * Chooses the code that does the engine's matrix products: {@code vector} (our JDK Vector API kernel, two threads on
 * large products), {@code ojalgo} (ojAlgo's own {@code fillByMultiplying}, the checked fallback), or {@code auto}
 * (the default): {@code vector} where the CPU has a fused multiply-add instruction, {@code ojalgo} where it has not.
 * The kernel's every step is a vector FMA, and the Vector API computes an FMA the hardware lacks lane by lane in
 * {@code BigDecimal}: thousands of times slower (x86-64 CPUs before FMA3, such as Sandy and Ivy Bridge, some
 * Pentium and Celeron models, and virtual CPUs that hide AVX; every AArch64 CPU has it).
 * The start-up choice comes from the system property {@value #PROPERTY}; {@link #use} switches at run time (the
 * service maps its configuration property of the same name onto it).
 */
public final class EngineKernel {

    /** The system property read when the engine is first used. */
    public static final String PROPERTY = "nnserve.engine.kernel";

    public static final String VECTOR = "vector";
    public static final String OJALGO = "ojalgo";
    /** {@value #VECTOR} where the CPU has a fused multiply-add, else {@value #OJALGO}. */
    public static final String AUTO = "auto";
    /** Epochs of each small warm-up run: enough calls of every kernel for C2 to compile it. */
    static final int WARM_UP_ROUNDS = 60;

    private EngineKernel() {
    }

    /**
     * Switches every later product to the named kernel. An unknown name, or {@value #VECTOR} on a CPU without a
     * fused multiply-add, is an {@link IllegalArgumentException} that says what to use instead.
     */
    public static void use(String name) {
        MatrixProducts.use(create(name, HardwareFma.AVAILABLE));
    }

    /**
     * Whether this JVM runs fused multiply-adds on the CPU (HotSpot's {@code UseFMA}: false when the CPU has no FMA
     * instruction or {@code -XX:UseAVX=0} turned it off). A JVM without that option is taken to have it.
     */
    public static boolean hardwareFma() {
        return HardwareFma.AVAILABLE;
    }

    /** The name of the kernel in use: {@value #VECTOR} or {@value #OJALGO}. */
    public static String current() {
        return MatrixProducts.current() instanceof VectorProducts ? VECTOR : OJALGO;
    }

    /**
     * Starts a daemon thread that runs every vector kernel of the engine on small data until the JIT has compiled
     * it (a few seconds of one core), so that the first training job or prediction does not run the slow,
     * not-yet-compiled code. Call once after start-up; harmless (and pointless) with the {@value #OJALGO} kernel.
     */
    public static Thread warmUpInBackground() {
        return warmUpInBackground(done -> { });
    }

    /** {@link #warmUpInBackground()}, telling {@code whenDone} what the warm-up did when it ends. */
    public static Thread warmUpInBackground(java.util.function.Consumer<WarmUp> whenDone) {
        KernelWarmUp.allow();
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            int runs = KernelWarmUp.run(WARM_UP_ROUNDS);
            whenDone.accept(new WarmUp(KernelWarmUp.stopRequested(), runs, (System.nanoTime() - start) / 1_000_000));
        }, "nnserve-kernel-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /**
     * What a background warm-up did: whether a training job stopped it early, how many of its training runs it
     * finished, and how long it took.
     */
    public record WarmUp(boolean stoppedEarly, int trainingRuns, long millis) {
    }

    /**
     * Ends a running warm-up early, at its next iteration. A training job calls this as it starts: on two cores
     * the warm-up would take a core from the job's two-thread products, and the job compiles what it uses itself.
     */
    public static void stopWarmUp() {
        KernelWarmUp.requestStop();
    }

    /** The process's vector kernel (made on first use). */
    static VectorProducts vectorProducts() {
        return Shared.VECTOR_PRODUCTS;
    }

    /** The kernel named by the system property, {@value #AUTO} when it is not set. */
    static MatrixProducts fromSystemProperty() {
        return create(System.getProperty(PROPERTY, AUTO), HardwareFma.AVAILABLE);
    }

    /** The named kernel on a CPU with or without a fused multiply-add. */
    static MatrixProducts create(String name, boolean hardwareFma) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case AUTO -> hardwareFma ? Shared.VECTOR_PRODUCTS : new OjAlgoProducts();
            case VECTOR -> {
                if (!hardwareFma) {
                    throw new IllegalArgumentException(PROPERTY + " is '" + VECTOR + "', but this CPU (or this JVM: "
                            + "-XX:UseAVX=0, -XX:-UseFMA) has no fused multiply-add, which the vector kernel needs to "
                            + "be fast: use '" + AUTO + "' or '" + OJALGO + "'");
                }
                yield Shared.VECTOR_PRODUCTS;
            }
            case OJALGO -> new OjAlgoProducts();
            default -> throw new IllegalArgumentException(PROPERTY + " must be '" + AUTO + "', '" + VECTOR + "' or '"
                    + OJALGO + "', got '" + name + "'");
        };
    }

    /** HotSpot's {@code UseFMA}, read once. */
    private static final class HardwareFma {
        static final boolean AVAILABLE = read();

        private static boolean read() {
            try {
                com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                        .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return vm == null || Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                return true; // not HotSpot, or no such option on this platform: nothing says otherwise
            }
        }
    }

    /** One vector kernel (with its helper thread) for the whole process, made on first use. */
    private static final class Shared {
        static final VectorProducts VECTOR_PRODUCTS = VectorProducts.forThisMachine();
    }
}
