package org.convinit.examples;

import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.Losses;
import org.convinit.optim.SGD;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The usual PyTorch loop on a made-up task (is the image's left half brighter than its right half?):
 * zero_grad, forward, cross_entropy, backward, step. Prints the loss at the start and at the end.
 */
public final class TrainLoop {
    public static void main(String[] args) {
        Generator.manualSeed(0);
        Module model = new Sequential(new Conv2d(1, 8, 3, ConvOptions.DEFAULT.padding(1)), new ReLU(), new Flatten(),
                new Linear(8 * 8 * 8, 2));
        SGD opt = new SGD(model.parameters(), SGD.options(0.05).momentum(0.9));
        Tensor x = Tensor.empty(DType.FLOAT32, 64, 1, 8, 8).uniform_(0, 1);
        long[] labels = new long[64];
        for (int i = 0; i < 64; i++) {
            double left = x.select(0, i).narrow(2, 0, 4).sum().item();
            double right = x.select(0, i).narrow(2, 4, 4).sum().item();
            labels[i] = left > right ? 1 : 0;
        }
        Tensor y = Tensor.of(labels, 64);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 100; step++) {
            opt.zeroGrad();                                       // opt.zero_grad()
            Tensor loss = Losses.crossEntropy(model.call(x), y);  // loss = F.cross_entropy(model(x), y)
            loss.backward();                                      // loss.backward()
            opt.step();                                           // opt.step()
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        System.out.printf("loss %.4f -> %.4f%n", first, last);
    }
}
