package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.init.Init;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.PoolOptions;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code ResNet} (He et al. 2015): ResNet-18/34 of {@link BasicBlock}s, ResNet-50/101/152, ResNeXt and
 * Wide ResNet of {@link Bottleneck}s. Init: construction-order defaults, then {@code kaiming_normal_(fan_out, relu)} on
 * every conv, BN weight 1 bias 0, and with {@code zeroInitResidual} the last BN of each block zeroed.
 */
public final class ResNet extends Module {
    /** torchvision's keyword arguments of {@code ResNet}. */
    public record Options(int numClasses, boolean zeroInitResidual, int groups, int widthPerGroup,
                          List<Boolean> replaceStrideWithDilation, NormLayer normLayer) {
        public static final Options DEFAULT = new Options(1000, false, 1, 64, List.of(false, false, false), NormLayer.BATCH_NORM);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
            if (groups <= 0 || widthPerGroup <= 0) {
                throw new IllegalArgumentException("groups=" + groups + " and width_per_group=" + widthPerGroup + " must be positive");
            }
            replaceStrideWithDilation = List.copyOf(replaceStrideWithDilation);
            if (normLayer == null) normLayer = NormLayer.BATCH_NORM;
            if (replaceStrideWithDilation.size() != 3) {
                throw new IllegalArgumentException("replace_stride_with_dilation should be None or a 3-element tuple, got "
                        + replaceStrideWithDilation);
            }
        }

        public Options numClasses(int n) {
            return new Options(n, zeroInitResidual, groups, widthPerGroup, replaceStrideWithDilation, normLayer);
        }

        public Options zeroInitResidual(boolean z) {
            return new Options(numClasses, z, groups, widthPerGroup, replaceStrideWithDilation, normLayer);
        }

        public Options groups(int g) {
            return new Options(numClasses, zeroInitResidual, g, widthPerGroup, replaceStrideWithDilation, normLayer);
        }

        public Options widthPerGroup(int w) {
            return new Options(numClasses, zeroInitResidual, groups, w, replaceStrideWithDilation, normLayer);
        }

        /** torchvision's {@code norm_layer}: every {@code bn*} and downsample norm (BatchNorm2d by default). */
        public Options normLayer(NormLayer n) {
            return new Options(numClasses, zeroInitResidual, groups, widthPerGroup, replaceStrideWithDilation, n);
        }

        public Options replaceStrideWithDilation(List<Boolean> r) {
            return new Options(numClasses, zeroInitResidual, groups, widthPerGroup, r, normLayer);
        }
    }

    private final boolean bottleneck;
    private final Conv2d conv1;
    private final Module bn1;
    private final Module relu;
    private final Module maxpool;
    private final Module[] layers = new Module[4];
    private final Module avgpool;
    private final Linear fc;
    private int inplanes = 64;
    private int dilation = 1;

    /** {@code ResNet(block, layers, **options)}; {@code bottleneck} picks {@link Bottleneck} over {@link BasicBlock}. */
    public ResNet(boolean bottleneck, int[] blocks, Options o, DType dt) {
        this.bottleneck = bottleneck;
        if (!bottleneck && (o.groups() != 1 || o.widthPerGroup() != 64)) {
            throw new IllegalArgumentException("BasicBlock only supports groups=1 and base_width=64");
        }
        if (!bottleneck && o.replaceStrideWithDilation().contains(true)) {
            throw new UnsupportedOperationException("Dilation > 1 not supported in BasicBlock");
        }
        conv1 = registerModule("conv1", Blocks.conv(3, 64, 7, 2, 3, 1, 1, false, dt));
        bn1 = registerModule("bn1", o.normLayer().make(64, dt));
        relu = registerModule("relu", new ReLU(true));
        maxpool = registerModule("maxpool", new MaxPool2d(new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1)));
        int[] planes = {64, 128, 256, 512};
        for (int i = 0; i < 4; i++) {
            boolean dilate = i > 0 && o.replaceStrideWithDilation().get(i - 1);
            layers[i] = registerModule("layer" + (i + 1), makeLayer(planes[i], blocks[i], i == 0 ? 1 : 2, dilate, o, dt));
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(512 * expansion(), o.numClasses(), true, dt, null));
        Blocks.initLoop(this, Blocks::kaimingFanOut, Blocks::onesZeros, null);
        if (o.zeroInitResidual()) {
            for (Module m : modules()) {
                Module last = m instanceof Bottleneck ? ((Bottleneck) m).bn3 : m instanceof BasicBlock ? ((BasicBlock) m).bn2 : null;
                Parameter w = last == null ? null : last.namedParameters().get("weight");
                if (w != null) Init.constant(w, 0);
            }
        }
    }

    private int expansion() {
        return bottleneck ? 4 : 1;
    }

    private Sequential makeLayer(int planes, int blocks, int stride, boolean dilate, Options o, DType dt) {
        Module downsample = null;
        int previousDilation = dilation;
        if (dilate) {
            dilation *= stride;
            stride = 1;
        }
        int out = planes * expansion();
        if (stride != 1 || inplanes != out) {
            downsample = new Sequential(Blocks.conv(inplanes, out, 1, stride, 0, 1, 1, false, dt), o.normLayer().make(out, dt));
        }
        List<Module> list = new ArrayList<>();
        list.add(block(inplanes, planes, stride, downsample, previousDilation, o, dt));
        inplanes = out;
        for (int i = 1; i < blocks; i++) list.add(block(inplanes, planes, 1, null, dilation, o, dt));
        return new Sequential(list);
    }

    private Module block(int in, int planes, int stride, Module downsample, int dil, Options o, DType dt) {
        return bottleneck ? new Bottleneck(in, planes, stride, downsample, o.groups(), o.widthPerGroup(), dil, o.normLayer(), dt)
                : new BasicBlock(in, planes, stride, downsample, o.normLayer(), dt);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = maxpool.call(relu.call(bn1.call(conv1.call(input))));
        for (Module l : layers) x = l.call(x);
        return fc.call(F.flatten(avgpool.call(x), 1, -1));
    }

    /** Two 3x3 convs and the identity (or the downsample) added before the last ReLU. */
    public static final class BasicBlock extends Module {
        private final Conv2d conv1;
        private final Module bn1;
        private final Module relu;
        private final Conv2d conv2;
        private final Module bn2;
        private final Module downsample;

        BasicBlock(int in, int planes, int stride, Module downsample, NormLayer norm, DType dt) {
            conv1 = registerModule("conv1", Blocks.conv(in, planes, 3, stride, 1, 1, 1, false, dt));
            bn1 = registerModule("bn1", norm.make(planes, dt));
            relu = registerModule("relu", new ReLU(true));
            conv2 = registerModule("conv2", Blocks.conv(planes, planes, 3, 1, 1, 1, 1, false, dt));
            bn2 = registerModule("bn2", norm.make(planes, dt));
            this.downsample = downsample == null ? null : registerModule("downsample", downsample);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = bn2.call(conv2.call(relu.call(bn1.call(conv1.call(x)))));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return relu.call(Residual.addInPlace(out, identity));
        }
    }

    /** 1x1 down, 3x3 (grouped, dilated), 1x1 up by 4, and the identity added before the last ReLU. */
    public static final class Bottleneck extends Module {
        private final Conv2d conv1;
        private final Module bn1;
        private final Conv2d conv2;
        private final Module bn2;
        private final Conv2d conv3;
        private final Module bn3;
        private final Module relu;
        private final Module downsample;

        Bottleneck(int in, int planes, int stride, Module downsample, int groups, int baseWidth, int dilation, NormLayer norm,
                   DType dt) {
            int width = (int) (planes * (baseWidth / 64.0)) * groups;
            conv1 = registerModule("conv1", Blocks.conv(in, width, 1, 1, 0, 1, 1, false, dt));
            bn1 = registerModule("bn1", norm.make(width, dt));
            conv2 = registerModule("conv2", Blocks.conv(width, width, 3, stride, dilation, groups, dilation, false, dt));
            bn2 = registerModule("bn2", norm.make(width, dt));
            conv3 = registerModule("conv3", Blocks.conv(width, planes * 4, 1, 1, 0, 1, 1, false, dt));
            bn3 = registerModule("bn3", norm.make(planes * 4, dt));
            relu = registerModule("relu", new ReLU(true));
            this.downsample = downsample == null ? null : registerModule("downsample", downsample);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = relu.call(bn1.call(conv1.call(x)));
            out = relu.call(bn2.call(conv2.call(out)));
            out = bn3.call(conv3.call(out));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return relu.call(Residual.addInPlace(out, identity));
        }
    }
}
