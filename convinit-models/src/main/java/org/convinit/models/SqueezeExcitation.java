package org.convinit.models;

import java.util.function.Supplier;

import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.Module;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code ops.SqueezeExcitation} (Hu et al. 2018): {@code x · σ(fc2(δ(fc1(avgpool(x)))))}, fc1 and fc2
 * 1x1 convs with bias; δ is ReLU (or SiLU in EfficientNet), σ Sigmoid (Hardsigmoid in MobileNetV3).
 */
public final class SqueezeExcitation extends Module {
    private final Module avgpool;
    private final Conv2d fc1;
    private final Conv2d fc2;
    private final Module activation;
    private final Module scaleActivation;

    public SqueezeExcitation(int inputChannels, int squeezeChannels, Supplier<Module> activation, Supplier<Module> scaleActivation,
                             DType dt) {
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        fc1 = registerModule("fc1", Blocks.conv(inputChannels, squeezeChannels, 1, 1, 0, 1, 1, true, dt));
        fc2 = registerModule("fc2", Blocks.conv(squeezeChannels, inputChannels, 1, 1, 0, 1, 1, true, dt));
        this.activation = registerModule("activation", activation.get());
        this.scaleActivation = registerModule("scale_activation", scaleActivation.get());
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor scale = scaleActivation.call(fc2.call(activation.call(fc1.call(avgpool.call(input)))));
        return scale.mul(input);
    }
}
