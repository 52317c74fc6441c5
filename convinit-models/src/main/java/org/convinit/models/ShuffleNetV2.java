package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.PoolOptions;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code ShuffleNetV2} x0.5/x1.0/x1.5/x2.0 (Ma et al. 2018): split, a depthwise branch, concatenation and
 * a channel shuffle of 2 groups. No init loop: every layer keeps torch's default.
 */
public final class ShuffleNetV2 extends Module {
    /** torchvision's keyword arguments of {@code shufflenet_v2_x*}. */
    public record Options(int numClasses) {
        public static final Options DEFAULT = new Options(1000);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
        }

        public Options numClasses(int n) {
            return new Options(n);
        }
    }

    private final Sequential conv1;
    private final Module maxpool;
    private final Sequential[] stages = new Sequential[3];
    private final Sequential conv5;
    private final Linear fc;

    /** {@code stagesRepeats} (3) and {@code stagesOutChannels} (5) as torchvision's {@code ShuffleNetV2}. */
    public ShuffleNetV2(int[] stagesRepeats, int[] stagesOutChannels, Options o, DType dt) {
        if (stagesRepeats.length != 3) throw new IllegalArgumentException("expected stages_repeats as list of 3 positive ints");
        if (stagesOutChannels.length != 5) throw new IllegalArgumentException("expected stages_out_channels as list of 5 positive ints");
        int in = stagesOutChannels[0];
        conv1 = registerModule("conv1", new Sequential(Blocks.conv(3, in, 3, 2, 1, 1, 1, false, dt), Blocks.bn(in, dt), new ReLU(true)));
        maxpool = registerModule("maxpool", new MaxPool2d(new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1)));
        for (int s = 0; s < 3; s++) {
            int out = stagesOutChannels[s + 1];
            List<Module> seq = new ArrayList<>();
            seq.add(new InvertedResidual(in, out, 2, dt));
            for (int i = 0; i < stagesRepeats[s] - 1; i++) seq.add(new InvertedResidual(out, out, 1, dt));
            stages[s] = registerModule("stage" + (s + 2), new Sequential(seq));
            in = out;
        }
        int last = stagesOutChannels[4];
        conv5 = registerModule("conv5", new Sequential(Blocks.conv(in, last, 1, 1, 0, 1, 1, false, dt), Blocks.bn(last, dt), new ReLU(true)));
        fc = registerModule("fc", new Linear(last, o.numClasses(), true, dt, null));
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = maxpool.call(conv1.call(input));
        for (Sequential s : stages) x = s.call(x);
        x = conv5.call(x);
        return fc.call(x.mean(3, false).mean(2, false));
    }

    /** Stride 1: half the channels pass, half go through branch2; stride 2: both branches; then concat and shuffle. */
    public static final class InvertedResidual extends Module {
        private final int stride;
        private final Sequential branch1;
        private final Sequential branch2;

        InvertedResidual(int inp, int oup, int stride, DType dt) {
            if (stride < 1 || stride > 3) throw new IllegalArgumentException("illegal stride value");
            this.stride = stride;
            int bf = oup / 2;
            if (stride == 1 && inp != bf << 1) {
                throw new IllegalArgumentException("Invalid combination of stride " + stride + ", inp " + inp + " and oup " + oup
                        + " values. If stride == 1 then inp should be equal to oup // 2 << 1.");
            }
            branch1 = registerModule("branch1", stride > 1
                    ? new Sequential(Blocks.conv(inp, inp, 3, stride, 1, inp, 1, false, dt), Blocks.bn(inp, dt),
                            Blocks.conv(inp, bf, 1, 1, 0, 1, 1, false, dt), Blocks.bn(bf, dt), new ReLU(true))
                    : new Sequential());
            branch2 = registerModule("branch2", new Sequential(Blocks.conv(stride > 1 ? inp : bf, bf, 1, 1, 0, 1, 1, false, dt),
                    Blocks.bn(bf, dt), new ReLU(true), Blocks.conv(bf, bf, 3, stride, 1, bf, 1, false, dt), Blocks.bn(bf, dt),
                    Blocks.conv(bf, bf, 1, 1, 0, 1, 1, false, dt), Blocks.bn(bf, dt), new ReLU(true)));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out;
            if (stride == 1) {
                int half = (x.size(1) + 1) / 2;
                out = F.cat(1, x.narrow(1, 0, half), branch2.call(x.narrow(1, half, x.size(1) - half)));
            } else {
                out = F.cat(1, branch1.call(x), branch2.call(x));
            }
            return F.channelShuffle(out, 2);
        }
    }
}
