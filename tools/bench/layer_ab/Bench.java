import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradMode;
import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * One side of {@link AB}: layer cases at the shapes of issue 10's CNN (batch 64) and of ResNet-18/MobileNetV2 (batch 8),
 * forward + backward ("f+b", the input hanging below a node whose backward stops) or forward without a graph ("eval");
 * {@link #run} returns {best thread CPU ms, bytes allocated by the last call}. Cases calling API the old build lacks
 * fall back to its nearest form ("inplace-if-any"). Threads: {@code -Dthreads=N} (1: CPU time covers all the work).
 */
public final class Bench {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    static java.util.Map<String, Object[]> cases = new java.util.LinkedHashMap<>();

    static Tensor rand(long seed, int... shape) {
        return Tensor.empty(DType.FLOAT32, shape).uniform_(-2, 2, new Generator(seed));
    }

    public static String[] names() {
        init();
        return cases.keySet().toArray(new String[0]);
    }

    static void put(String name, Tensor x, java.util.function.Function<Tensor, Tensor> op, boolean grad) {
        cases.put(name, new Object[] {x, op, grad});
    }

    static void init() {
        if (!cases.isEmpty()) return;
        org.convinit.internal.Parallel.setThreads(Integer.getInteger("threads", 1));
        Tensor x1 = rand(1, 64, 32, 28, 28);
        Tensor x2 = rand(2, 64, 64, 14, 14);
        Tensor xr = rand(3, 8, 64, 112, 112);
        Tensor xm = rand(4, 8, 96, 56, 56);
        put("pool1 2x2 [64,32,28,28] f+b", x1, x -> F.maxPool2d(x, 2), true);
        put("pool1 2x2 [64,32,28,28] eval", x1, x -> F.maxPool2d(x, 2), false);
        put("pool2 2x2 [64,64,14,14] f+b", x2, x -> F.maxPool2d(x, 2), true);
        put("pool2 2x2 [64,64,14,14] eval", x2, x -> F.maxPool2d(x, 2), false);
        put("resnet 3x3s2p1 [8,64,112,112] eval", xr, x -> F.maxPool2d(x, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false), false);
        put("resnet 3x3s2p1 [8,64,112,112] f+b", xr, x -> F.maxPool2d(x, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false), true);
        put("relu [64,32,28,28] f+b", x1, F::relu, true);
        put("relu6 [8,96,56,56] eval", xm, F::relu6, false);
        put("relu6 inplace-if-any [8,96,56,56] eval", xm, x -> { try { return F.relu6(x, true); } catch (NoSuchMethodError e) { return F.relu6(x); } }, false);
        put("relu inplace-if-any [8,64,112,112] eval", rand(8, 8, 64, 112, 112), x -> { try { return F.relu(x, true); } catch (NoSuchMethodError e) { return F.relu(x); } }, false);
        put("relu [8,64,112,112] eval", rand(8, 8, 64, 112, 112), F::relu, false);
        put("relu6 [8,96,56,56] f+b", xm, F::relu6, true);
        put("hardswish [8,96,56,56] eval", xm, F::hardswish, false);
        put("silu [8,96,56,56] eval", xm, F::silu, false);
        Tensor w1 = Tensor.ones(DType.FLOAT32, 32).requiresGrad(true);
        Tensor b1 = Tensor.zeros(DType.FLOAT32, 32).requiresGrad(true);
        Tensor rm = Tensor.zeros(DType.FLOAT32, 96), rv = Tensor.ones(DType.FLOAT32, 96), w3 = Tensor.ones(DType.FLOAT32, 96), b3 = Tensor.zeros(DType.FLOAT32, 96);
        put("bn train [64,32,28,28] f+b", x1, x -> F.batchNorm(x, null, null, w1, b1, true, 0.1, 1e-5), true);
        org.convinit.nn.Sequential bnRelu1 = new org.convinit.nn.Sequential(new org.convinit.nn.BatchNorm2d(32), new org.convinit.nn.ReLU());
        org.convinit.nn.Sequential bnRelu2 = new org.convinit.nn.Sequential(new org.convinit.nn.BatchNorm2d(64), new org.convinit.nn.ReLU());
        put("bn+relu seq [64,32,28,28] f+b", x1, bnRelu1::call, true);
        put("bn+relu seq [64,64,14,14] f+b", x2, bnRelu2::call, true);
        put("bn+relu seq [64,32,28,28] fwd", x1, bnRelu1::call, false);
        // issue 10's CNN without its convolutions: what a training step spends around them (batch 64)
        org.convinit.nn.Sequential head1 = new org.convinit.nn.Sequential(new org.convinit.nn.BatchNorm2d(32), new org.convinit.nn.ReLU(),
                new org.convinit.nn.MaxPool2d(2));
        org.convinit.nn.Sequential head2 = new org.convinit.nn.Sequential(new org.convinit.nn.BatchNorm2d(64), new org.convinit.nn.ReLU(),
                new org.convinit.nn.MaxPool2d(2), new org.convinit.nn.Flatten(), new org.convinit.nn.Linear(3136, 10));
        put("cnn non-conv layers 1 [64,32,28,28] f+b", x1, head1::call, true);
        put("cnn non-conv layers 2 [64,64,14,14] f+b", x2, head2::call, true);
        org.convinit.nn.Linear fc = new org.convinit.nn.Linear(3136, 10);
        put("linear 3136->10 [64,3136] f+b", rand(5, 64, 3136), fc::call, true);
        put("bn eval [8,96,56,56]", xm, x -> F.batchNorm(x, rm, rv, w3, b3, false, 0.1, 1e-5), false);
    }

    public static double[] run(String name, int reps) {
        init();
        Object[] c = cases.get(name);
        Tensor x = (Tensor) c[0];
        @SuppressWarnings("unchecked") java.util.function.Function<Tensor, Tensor> op = (java.util.function.Function<Tensor, Tensor>) c[1];
        boolean grad = (Boolean) c[2];
        Tensor leaf = Tensor.zeros(DType.FLOAT32, 1).requiresGrad(true);
        long best = Long.MAX_VALUE;
        long alloc = 0;
        Tensor g = null;
        for (int r = 0; r < reps; r++) {
            long a0 = MX.getThreadAllocatedBytes(Thread.currentThread().getId());
            long t0 = MX.getCurrentThreadCpuTime();
            if (grad) {
                Tensor in = Autograd.record(x.detach(), "Sink", new Tensor[] {leaf}, new Tensor[0], gg -> new Tensor[] {null});
                Tensor y = op.apply(in);
                if (g == null) g = Tensor.ones(DType.FLOAT32, y.shape().toArray());
                y.backward(g, false);
            } else {
                try (var ng = GradMode.noGrad()) {
                    op.apply(x.detach());
                }
            }
            best = Math.min(best, MX.getCurrentThreadCpuTime() - t0);
            alloc = MX.getThreadAllocatedBytes(Thread.currentThread().getId()) - a0;
        }
        return new double[] {best / 1e6, alloc};
    }
}
