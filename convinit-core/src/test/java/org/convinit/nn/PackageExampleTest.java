package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The example in the nn package docs runs and has the shapes it claims. */
class PackageExampleTest {
    @Test
    void packageDocExampleRuns() {
        Generator.manualSeed(0);
        Module net = new Sequential(
                new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1)), new BatchNorm2d(16), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(16 * 16 * 16, 10));
        Tensor x = Tensor.ones(DType.FLOAT32, 2, 3, 32, 32);
        Tensor y = net.eval().forward(x);
        assertThat(y.shape().toArray()).containsExactly(2, 10);
        assertThat(net.stateDict()).containsKeys("0.weight", "1.running_mean", "1.num_batches_tracked", "5.weight");
    }
}
