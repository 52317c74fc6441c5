package org.convinit.models;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.convinit.init.FanMode;
import org.convinit.init.Init;
import org.convinit.init.Nonlinearity;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.Sequential;
import org.convinit.tensor.DType;

/**
 * The pieces torchvision's builders share: {@code nn.Conv2d} and {@code nn.BatchNorm2d} with torch's defaults,
 * {@code ops.Conv2dNormActivation} (a Sequential: conv, norm, activation) and the init loops over {@code modules()}.
 * Every layer draws its default init from the default generator at construction, in construction order.
 */
final class Blocks {
    private Blocks() {}

    /** {@code nn.Conv2d(in, out, k, stride, padding, dilation=d, groups=g, bias=bias)}. */
    static Conv2d conv(int in, int out, int k, int stride, int padding, int groups, int dilation, boolean bias, DType dt) {
        ConvOptions o = ConvOptions.DEFAULT.stride(stride).padding(padding).groups(groups).dilation(dilation).bias(bias);
        return new Conv2d(in, out, new int[] {k}, o, dt, null);
    }

    static BatchNorm2d bn(int n, DType dt) {
        return new BatchNorm2d(n, 1e-5, 0.1, true, true, dt);
    }

    /** A BatchNorm2d factory with this eps and momentum (torchvision's {@code partial(nn.BatchNorm2d, eps=, momentum=)}). */
    interface Norm {
        Module make(int channels);
    }

    /**
     * {@code Conv2dNormActivation(in, out, k, stride, groups=, norm_layer=, activation_layer=, dilation=)}: padding
     * {@code (k-1)/2·dilation}, a bias only without a norm; {@code norm} or {@code activation} null leaves it out.
     */
    static Sequential convNormAct(int in, int out, int k, int stride, int groups, int dilation, Norm norm,
                                  Supplier<Module> activation, DType dt) {
        Conv2d c = conv(in, out, k, stride, (k - 1) / 2 * dilation, groups, dilation, norm == null, dt);
        if (norm == null && activation == null) return new Sequential(c);
        if (norm == null) return new Sequential(c, activation.get());
        Module n = norm.make(out);
        return activation == null ? new Sequential(c, n) : new Sequential(c, n, activation.get());
    }

    /** Runs {@code conv}, {@code batchNorm} and {@code linear} on each Conv2d, BatchNorm2d and Linear of {@code modules()} in order. */
    static void initLoop(Module root, Consumer<Conv2d> conv, Consumer<BatchNorm2d> batchNorm, Consumer<Linear> linear) {
        for (Module m : root.modules()) {
            if (m instanceof Conv2d && conv != null) conv.accept((Conv2d) m);
            else if (m instanceof BatchNorm2d && batchNorm != null) batchNorm.accept((BatchNorm2d) m);
            else if (m instanceof Linear && linear != null) linear.accept((Linear) m);
        }
    }

    /** {@code kaiming_normal_(w, mode="fan_out", nonlinearity="relu")} and zero bias (when there is one). */
    static void kaimingFanOut(Conv2d c) {
        Init.kaimingNormal(c.weight(), 0, FanMode.FAN_OUT, Nonlinearity.RELU, null);
        if (c.bias() != null) Init.zeros(c.bias());
    }

    /** {@code constant_(weight, 1)}, {@code constant_(bias, 0)}. */
    static void onesZeros(BatchNorm2d b) {
        Init.ones(b.weight());
        Init.zeros(b.bias());
    }

    /** {@code normal_(weight, 0, 0.01)}, {@code zeros_(bias)}. */
    static void normal001(Linear l) {
        Init.normal(l.weight(), 0, 0.01);
        if (l.bias() != null) Init.zeros(l.bias());
    }

    /** torchvision's {@code _make_divisible(v, divisor)}: the nearest multiple of {@code divisor}, never 10% below {@code v}. */
    static int makeDivisible(double v, int divisor) {
        int newV = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v) newV += divisor;
        return newV;
    }
}
