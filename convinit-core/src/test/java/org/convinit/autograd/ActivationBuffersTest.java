package org.convinit.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.PoolOptions;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Forward arrays reused from step to step ({@link ActivationBuffers}) change no value and clobber nothing anyone can
 * still see: training steps (issue 10's CNN; a net with a standalone ReLU, a 3×3 max pooling, a Winograd-sized conv
 * and hidden linear layers) give the same bits with the pool (every reused array filled with garbage first) as without;
 * an output the caller holds (a view of an intermediate), an intermediate a forward hook keeps, one a user layer
 * keeps, one read through {@link Node#inputs()}, and a graph kept for a second backward are not overwritten by the
 * steps that follow.
 */
class ActivationBuffersTest {
    private final boolean initial = ActivationBuffers.enabled(true);

    @AfterEach
    void restore() {
        ActivationBuffers.enabled(initial);
        ActivationBuffers.poison = false;
    }

    /** Standalone ReLUs, a 3×3 stride-2 max pooling, a 32→64 conv (Winograd), linear layers inside. */
    private static Sequential wide() {
        Generator g = new Generator(6);
        ConvOptions p1 = ConvOptions.DEFAULT.padding(1);
        return new Sequential(new Conv2d(1, 32, new int[] {3, 3}, p1, DType.FLOAT32, g), new BatchNorm2d(32), new ReLU(),
                new MaxPool2d(3, PoolOptions.DEFAULT.stride(2).padding(1)), new Conv2d(32, 64, new int[] {3, 3}, p1, DType.FLOAT32, g),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64 * 3 * 3, 16, true, DType.FLOAT32, g), new ReLU(),
                new Linear(16, 3, true, DType.FLOAT32, g));
    }

    private static Tensor input(int batch, long seed) {
        return Tensor.empty(DType.FLOAT32, batch, 1, 12, 12).uniform_(-1, 1, new Generator(seed)).requiresGrad(true);
    }

    /** Per step: the output, the input's gradient and the parameter gradients (cleared after each step). */
    private static List<float[]> steps(Module model, int[] batches) {
        List<float[]> out = new ArrayList<>();
        long seed = 100;
        for (int b : batches) {
            Tensor x = input(b, seed++);
            Tensor y = model.call(x);
            out.add(y.toFloatArray());
            y.backward(Tensor.empty(DType.FLOAT32, b, 3).uniform_(-1, 1, new Generator(seed++)), false);
            out.add(x.grad().toFloatArray());
            for (Parameter p : model.parameters()) out.add(p.grad().toFloatArray());
            model.zeroGrad(true);
        }
        return out;
    }

    private static void assertSameBitsOnAndOff(java.util.function.Supplier<Sequential> model) {
        int[] batches = {8, 8, 3, 8, 8};
        ActivationBuffers.enabled(false);
        List<float[]> fresh = steps(model.get(), batches);
        ActivationBuffers.enabled(true);
        ActivationBuffers.poison = true;
        List<float[]> reused = steps(model.get(), batches);
        assertThat(ActivationBuffers.freeCount()).as("arrays kept for the next step").isPositive();
        GradBuffersTest.assertSameBits(reused, fresh);
    }

    @Test
    void reusedArraysGiveTheValuesOfFreshOnes() {
        assertSameBitsOnAndOff(GradBuffersTest::cnn);
    }

    @Test
    void reusedArraysGiveTheValuesOfFreshOnesOnOtherLayers() {
        assertSameBitsOnAndOff(ActivationBuffersTest::wide);
    }

    @Test
    void aForwardWithoutGradReusesItsArrays() {
        Sequential model = GradBuffersTest.cnn();
        model.eval();
        List<float[]> fresh = new ArrayList<>();
        List<float[]> reused = new ArrayList<>();
        for (boolean on : new boolean[] {false, true}) {
            ActivationBuffers.enabled(on);
            ActivationBuffers.poison = on;
            for (int step = 0; step < 3; step++) {
                try (var g = GradMode.noGrad()) {
                    (on ? reused : fresh).add(model.call(input(5, step)).toFloatArray());
                }
            }
        }
        assertThat(ActivationBuffers.freeCount()).isPositive();
        GradBuffersTest.assertSameBits(reused, fresh);
    }

    /** Runs steps of other inputs on {@code model}: what they overwrite would show in a tensor kept from before. */
    private static void moreSteps(Module model) {
        steps(model, new int[] {4, 4, 4});
    }

    @Test
    void anOutputTheCallerHoldsIsNotReused() {
        // the result is Flatten's view of the last max pooling's output
        Sequential model = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten());
        Tensor y = model.call(input(4, 1));
        float[] before = y.toFloatArray();
        y.sum().backward();
        for (int step = 0; step < 3; step++) model.call(input(4, 2 + step)).sum().backward();
        assertThat(y.toFloatArray()).containsExactly(before);
    }

    @Test
    void anIntermediateAForwardHookKeepsIsNotReused() {
        Sequential model = GradBuffersTest.cnn();
        List<Tensor> seen = new ArrayList<>();
        model.get(4).registerForwardHook((m, in, out) -> {
            seen.add(in);
            seen.add(out);
            return null;
        });
        Tensor y = model.call(input(4, 1));
        List<float[]> copies = new ArrayList<>();
        for (Tensor t : seen) copies.add(t.toFloatArray());
        y.sum().backward();
        moreSteps(model);
        for (int i = 0; i < copies.size(); i++) assertThat(seen.get(i).toFloatArray()).as("kept tensor %d", i).containsExactly(copies.get(i));
    }

    /** A user layer that keeps what it is given. */
    private static final class Keeper extends Module {
        final List<Tensor> kept = new ArrayList<>();

        @Override
        public Tensor forward(Tensor input) {
            kept.add(input);
            return input;
        }
    }

    @Test
    void anIntermediateAUserLayerKeepsIsNotReused() {
        Keeper keeper = new Keeper();
        Generator g = new Generator(3);
        Sequential model = new Sequential(new Conv2d(1, 4, new int[] {3, 3}, ConvOptions.DEFAULT.padding(1), DType.FLOAT32, g),
                new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), keeper, new Flatten(), new Linear(4 * 6 * 6, 3, true, DType.FLOAT32, g));
        Tensor y = model.call(input(4, 1));
        float[] before = keeper.kept.get(0).toFloatArray();
        y.sum().backward();
        moreSteps(model);
        assertThat(keeper.kept.get(0).toFloatArray()).containsExactly(before);
    }

    @Test
    void anIntermediateReadThroughTheGraphIsNotReused() {
        Sequential model = GradBuffersTest.cnn();
        Tensor y = model.call(input(4, 1));
        Tensor flat = y.gradFn().inputs().get(0); // Linear's input: the last pooling's output, flattened
        float[] before = flat.toFloatArray();
        y.sum().backward();
        moreSteps(model);
        assertThat(flat.toFloatArray()).containsExactly(before);
    }

    @Test
    void aGraphKeptForASecondBackwardIsNotReused() {
        Sequential model = GradBuffersTest.cnn();
        Tensor x = input(4, 1);
        Tensor loss = model.call(x).pow(2).sum();
        loss.backward(null, true);
        List<float[]> first = new ArrayList<>();
        first.add(x.grad().toFloatArray());
        for (Parameter p : model.parameters()) first.add(p.grad().toFloatArray());
        x.setGrad(null);
        model.zeroGrad(true);
        moreSteps(model);
        loss.backward(null, false);
        List<float[]> second = new ArrayList<>();
        second.add(x.grad().toFloatArray());
        for (Parameter p : model.parameters()) second.add(p.grad().toFloatArray());
        GradBuffersTest.assertSameBits(second, first);
    }

    /**
     * Steps whose graph starts at the second conv (the input and the first conv's and batch norm's parameters need
     * no grad): the first layers' arrays go back to the pool during the forward, the later ones after the backward.
     */
    private static List<float[]> frozenFirstLayer(int steps) {
        Sequential model = GradBuffersTest.cnn();
        for (int i = 0; i < 2; i++) for (Parameter p : model.get(i).parameters()) p.requiresGrad(false);
        List<float[]> out = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            Tensor y = model.call(input(4, 40 + step).requiresGrad(false));
            out.add(y.toFloatArray());
            y.pow(2).sum().backward();
            for (Parameter p : model.parameters()) if (p.grad() != null) out.add(p.grad().toFloatArray());
            model.zeroGrad(true);
        }
        return out;
    }

    @Test
    void aGraphStartingInsideTheForwardGivesTheSameValues() {
        ActivationBuffers.enabled(false);
        List<float[]> fresh = frozenFirstLayer(4);
        ActivationBuffers.enabled(true);
        ActivationBuffers.poison = true;
        GradBuffersTest.assertSameBits(frozenFirstLayer(4), fresh);
    }
}
