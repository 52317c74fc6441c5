package org.convinit.bench;

import java.util.concurrent.TimeUnit;

import org.convinit.nn.functional.ConvKernels;
import org.convinit.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmarks of {@link ConvKernels} on the {@link ConvShape}s at 1 and 2 threads:
 *
 * <pre>
 * mvn -q -pl convinit-bench -am package -DskipTests
 * java -jar convinit-bench/target/benchmarks.jar ConvBenchmark -p threads=1
 * </pre>
 *
 * The forks add {@code jdk.incubator.vector}; {@code -jvmArgsAppend -Dconvinit.kernels=scalar}
 * measures the portable path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
    @Param({"C64_56_K3", "C3_224_K7S2", "C256_14_K3", "C1_28_K3", "C32_14_K3", "DW128_56_K3", "T64_28_K4S2"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private ConvShape conv;
    private Tensor[] ops;

    @Setup
    public void setup() {
        ConvKernels.setThreads(threads);
        conv = ConvShape.valueOf(shape);
        ops = conv.operands();
    }

    @Benchmark
    public Tensor conv() {
        return conv.run(ops);
    }
}
