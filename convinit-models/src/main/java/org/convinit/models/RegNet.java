package org.convinit.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.init.Init;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.Sigmoid;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code RegNet} X and Y (Radosavovic et al. 2020), every size torchvision 0.14 lists (Y 400MF-128GF, X 400MF-32GF): stage widths and
 * depths quantized from the linear parameterization ({@code w_0, w_a, w_m}) as torchvision computes them (in the
 * default dtype's arithmetic), residual bottlenecks with group convs and (Y) squeeze-excitation. Init: convs
 * {@code normal_(0, √(2/fan_out))} with {@code fan_out = k·k·out}, BN 1/0, Linear {@code normal_(0, 0.01)}, zero bias.
 */
public final class RegNet extends Module {
    /** torchvision's keyword arguments of {@code regnet_*}. */
    public record Options(int numClasses, int stemWidth, NormLayer normLayer) {
        public static final Options DEFAULT = new Options(1000, 32);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
            if (stemWidth <= 0) throw new IllegalArgumentException("stem_width=" + stemWidth + " must be positive");
            if (normLayer == null) normLayer = NormLayer.BATCH_NORM;
        }

        /** With BatchNorm2d as the norm layer. */
        public Options(int numClasses, int stemWidth) {
            this(numClasses, stemWidth, null);
        }

        public Options numClasses(int n) {
            return new Options(n, stemWidth, normLayer);
        }

        public Options stemWidth(int w) {
            return new Options(numClasses, w, normLayer);
        }

        /** torchvision's {@code norm_layer}: the stem's and every block's norm (BatchNorm2d by default). */
        public Options normLayer(NormLayer n) {
            return new Options(numClasses, stemWidth, n);
        }
    }

    /** {@code BlockParams.from_init_params(depth, w_0, w_a, w_m, group_width, se_ratio)}; seRatio 0 means none. */
    public record Params(int depth, int w0, double wa, double wm, int groupWidth, double seRatio) {
        public static final Params X_400MF = new Params(22, 24, 24.48, 2.54, 16, 0);
        public static final Params Y_400MF = new Params(16, 48, 27.89, 2.09, 8, 0.25);
        public static final Params X_800MF = new Params(16, 56, 35.73, 2.28, 16, 0);
        public static final Params Y_800MF = new Params(14, 56, 38.84, 2.4, 16, 0.25);

        /** torchvision 0.14's sizes by model name, in its order (Y then X). */
        public static final Map<String, Params> SIZES = sizes();

        private static Map<String, Params> sizes() {
            Map<String, Params> m = new LinkedHashMap<>();
            m.put("regnet_y_400mf", Y_400MF);
            m.put("regnet_y_800mf", Y_800MF);
            m.put("regnet_y_1_6gf", new Params(27, 48, 20.71, 2.65, 24, 0.25));
            m.put("regnet_y_3_2gf", new Params(21, 80, 42.63, 2.66, 24, 0.25));
            m.put("regnet_y_8gf", new Params(17, 192, 76.82, 2.19, 56, 0.25));
            m.put("regnet_y_16gf", new Params(18, 200, 106.23, 2.48, 112, 0.25));
            m.put("regnet_y_32gf", new Params(20, 232, 115.89, 2.53, 232, 0.25));
            m.put("regnet_y_128gf", new Params(27, 456, 160.83, 2.52, 264, 0.25));
            m.put("regnet_x_400mf", X_400MF);
            m.put("regnet_x_800mf", X_800MF);
            m.put("regnet_x_1_6gf", new Params(18, 80, 34.01, 2.25, 24, 0));
            m.put("regnet_x_3_2gf", new Params(25, 88, 26.31, 2.25, 48, 0));
            m.put("regnet_x_8gf", new Params(23, 80, 49.56, 2.88, 120, 0));
            m.put("regnet_x_16gf", new Params(22, 216, 55.59, 2.1, 128, 0));
            m.put("regnet_x_32gf", new Params(23, 320, 69.86, 2.0, 168, 0));
            return Collections.unmodifiableMap(m);
        }
    }

    private final Sequential stem;
    private final Chain trunkOutput;
    private final Module avgpool;
    private final Linear fc;

    public RegNet(Params p, Options o, DType dt) {
        Blocks.Norm bn = c -> o.normLayer().make(c, dt);
        stem = registerModule("stem", Blocks.convNormAct(3, o.stemWidth(), 3, 2, 1, 1, bn, () -> new ReLU(true), dt));
        trunkOutput = registerModule("trunk_output", new Chain());
        int current = o.stemWidth();
        List<int[]> stages = stages(p, dt);
        for (int i = 0; i < stages.size(); i++) {
            int width = stages.get(i)[0];
            Chain stage = new Chain();
            for (int j = 0; j < stages.get(i)[1]; j++) {
                stage.add("block" + (i + 1) + "-" + j, new Bottleneck(j == 0 ? current : width, width, j == 0 ? 2 : 1, stages.get(i)[2],
                        p.seRatio(), bn, dt));
            }
            trunkOutput.add("block" + (i + 1), stage);
            current = width;
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        fc = registerModule("fc", new Linear(current, o.numClasses(), true, dt, null));
        Blocks.initLoop(this, c -> Init.normal(c.weight(), 0, Math.sqrt(2.0 / (c.kernelSize()[0] * c.kernelSize()[1] * c.outChannels()))),
                Blocks::onesZeros, Blocks::normal001);
    }

    /**
     * torchvision's {@code BlockParams.from_init_params}: per stage {width, depth, group width}, consecutive equal block
     * widths forming a stage, then the widths made divisible by {@code min(group_width, width)}.
     */
    static List<int[]> stages(Params p, DType dt) {
        if (p.wa() < 0 || p.w0() <= 0 || p.wm() <= 1 || p.w0() % 8 != 0) throw new IllegalArgumentException("Invalid RegNet settings");
        List<int[]> stages = new ArrayList<>();
        for (int w : blockWidths(p, dt)) {
            if (stages.isEmpty() || stages.get(stages.size() - 1)[0] != w) stages.add(new int[] {w, 0, 0});
            stages.get(stages.size() - 1)[1]++;
        }
        for (int[] st : stages) {
            st[2] = Math.min(p.groupWidth(), st[0]);
            st[0] = Blocks.makeDivisible(st[0], st[2]);
        }
        return stages;
    }

    /**
     * The quantized block widths: {@code round(w_0·w_m^round(log((i·w_a + w_0)/w_0)/log(w_m)) / 8)·8}, each step in
     * the default dtype as torchvision's tensor arithmetic (float32, or float64 when that is the default).
     */
    static int[] blockWidths(Params p, DType dt) {
        int[] out = new int[p.depth()];
        boolean f32 = dt == DType.FLOAT32;
        double logWm = Math.log(p.wm());
        for (int i = 0; i < out.length; i++) {
            if (f32) {
                float cont = (float) i * (float) p.wa() + (float) p.w0();
                float cap = (float) Math.rint((float) ((float) Math.log((float) (cont / (float) p.w0())) / (float) logWm));
                float w = (float) p.w0() * (float) Math.pow((float) p.wm(), cap);
                out[i] = (int) ((float) Math.rint(w / 8f) * 8f);
            } else {
                double cont = i * p.wa() + p.w0();
                double cap = Math.rint(Math.log(cont / p.w0()) / logWm);
                out[i] = (int) (Math.rint(p.w0() * Math.pow(p.wm(), cap) / 8) * 8);
            }
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor input) {
        return fc.call(F.flatten(avgpool.call(trunkOutput.call(stem.call(input))), 1, -1));
    }

    /** {@code ResBottleneckBlock}: {@code relu(proj(x) + f(x))}, f = 1x1, grouped 3x3, (SE), 1x1. */
    public static final class Bottleneck extends Module {
        private final Module proj;
        private final Chain f;
        private final Module activation;

        Bottleneck(int in, int out, int stride, int groupWidth, double seRatio, Blocks.Norm bn, DType dt) {
            proj = in != out || stride != 1 ? registerModule("proj", Blocks.convNormAct(in, out, 1, stride, 1, 1, bn, null, dt)) : null;
            int wb = out;
            int g = wb / groupWidth;
            f = registerModule("f", new Chain()
                    .add("a", Blocks.convNormAct(in, wb, 1, 1, 1, 1, bn, () -> new ReLU(true), dt))
                    .add("b", Blocks.convNormAct(wb, wb, 3, stride, g, 1, bn, () -> new ReLU(true), dt)));
            if (seRatio > 0) f.add("se", new SqueezeExcitation(wb, (int) Math.rint(seRatio * in), ReLU::new, Sigmoid::new, dt));
            f.add("c", Blocks.convNormAct(wb, out, 1, 1, 1, 1, bn, null, dt));
            activation = registerModule("activation", new ReLU(true));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = f.call(x);
            return activation.call(Residual.add(proj == null ? x : proj.call(x), y));
        }
    }
}
