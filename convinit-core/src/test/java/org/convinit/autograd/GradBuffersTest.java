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
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's reused gradient arrays ({@link GradBuffers}) change no gradient: issue 10's CNN (conv, BN + ReLU,
 * max pooling twice, linear) over steps with different inputs and batch sizes gives the same bits with the pool as
 * fresh arrays every step do (a value left in a reused array from the step before, e.g. a max pooling's scatter
 * into an array not zeroed, would show); the pool holds arrays between steps; a gradient a backward hook keeps is
 * not overwritten by the next step.
 */
class GradBuffersTest {
    private final boolean initial = GradBuffers.enabled(true);

    @AfterEach
    void restore() {
        GradBuffers.enabled(initial);
    }

    static Sequential cnn() {
        Generator g = new Generator(5);
        ConvOptions p1 = ConvOptions.DEFAULT.padding(1);
        return new Sequential(new Conv2d(1, 4, new int[] {3, 3}, p1, DType.FLOAT32, g), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 6, new int[] {3, 3}, p1, DType.FLOAT32, g), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(6 * 3 * 3, 3, true, DType.FLOAT32, g));
    }

    /** Input, parameter gradients (cleared after each step) and the input's gradient of each step. */
    private static List<float[]> steps(Module model, int[] batches, List<Tensor> kept) {
        List<float[]> out = new ArrayList<>();
        long seed = 100;
        for (int b : batches) {
            Tensor x = Tensor.empty(DType.FLOAT32, b, 1, 12, 12).uniform_(-1, 1, new Generator(seed++)).requiresGrad(true);
            Tensor y = model.call(x);
            y.backward(Tensor.empty(DType.FLOAT32, b, 3).uniform_(-1, 1, new Generator(seed++)), false);
            out.add(x.grad().toFloatArray());
            for (Parameter p : model.parameters()) {
                out.add(p.grad().toFloatArray());
            }
            model.zeroGrad(true);
            if (kept != null) assertThat(GradBuffers.freeCount()).as("arrays kept for the next step").isPositive();
        }
        return out;
    }

    static void assertSameBits(List<float[]> got, List<float[]> want) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            float[] a = got.get(i);
            float[] b = want.get(i);
            assertThat(a.length).isEqualTo(b.length);
            for (int j = 0; j < b.length; j++) {
                assertThat(Float.floatToIntBits(a[j])).as("array %d element %d: %s vs %s", i, j, a[j], b[j])
                        .isEqualTo(Float.floatToIntBits(b[j]));
            }
        }
    }

    @Test
    void reusedArraysGiveTheGradientsOfFreshOnes() {
        int[] batches = {8, 8, 3, 8, 8};
        GradBuffers.enabled(false);
        List<float[]> fresh = steps(cnn(), batches, null);
        GradBuffers.enabled(true);
        List<float[]> reused = steps(cnn(), batches, new ArrayList<>());
        assertSameBits(reused, fresh);
    }

    @Test
    void eachStepAloneGivesTheSameGradientsAsAfterOtherSteps() {
        // step 2 of a run (arrays of step 1 reused) against step 2's input run first in a new model
        Sequential a = cnn();
        List<float[]> both = steps(a, new int[] {8, 8}, new ArrayList<>());
        GradBuffers.enabled(false);
        Sequential b = cnn();
        List<float[]> first = steps(b, new int[] {8}, null);
        assertSameBits(both.subList(0, first.size()), first);
    }

    @Test
    void aGradientAHookKeepsIsNotReused() {
        Sequential model = cnn();
        List<Tensor> seen = new ArrayList<>();
        model.get(3).registerFullBackwardHook((m, gIn, gOut) -> {
            seen.add(gIn);
            return null;
        });
        List<float[]> copies = new ArrayList<>();
        long seed = 7;
        for (int step = 0; step < 3; step++) {
            Tensor x = Tensor.empty(DType.FLOAT32, 4, 1, 12, 12).uniform_(-1, 1, new Generator(seed++)).requiresGrad(true);
            model.call(x).backward(Tensor.empty(DType.FLOAT32, 4, 3).uniform_(-1, 1, new Generator(seed++)), false);
            copies.add(seen.get(seen.size() - 1).toFloatArray());
        }
        for (int i = 0; i < copies.size(); i++) {
            assertThat(seen.get(i).toFloatArray()).as("kept gradient of step %d", i).containsExactly(copies.get(i));
        }
    }

    @Test
    void outsideABackwardPassArraysAreNew() {
        Tensor a = GradBuffers.zeros(DType.FLOAT32, 4, 5);
        Tensor b = GradBuffers.zeros(DType.FLOAT32, 4, 5);
        assertThat(a.storage()).isNotSameAs(b.storage());
        assertThat(a.toFloatArray()).containsOnly(0f);
        assertThat(GradBuffers.empty(DType.FLOAT64, 3).dtype()).isEqualTo(DType.FLOAT64);
    }
}
