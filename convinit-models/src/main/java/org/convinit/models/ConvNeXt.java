package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.init.Init;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.Flatten;
import org.convinit.nn.GELU;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.Sequential;
import org.convinit.nn.StochasticDepth;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code ConvNeXt} tiny and small (Liu et al. 2022): patchify stem, depthwise 7x7 blocks with LayerNorm
 * over channels, an inverted MLP (GELU), layer scale and stochastic depth. Init: {@code trunc_normal_(std=0.02)} on
 * every conv and linear weight (after their default init), zero biases.
 */
public final class ConvNeXt extends Module {
    /**
     * torchvision's keyword arguments of {@code convnext_tiny/small}; {@code stochasticDepthProb} null: the model's own;
     * {@code block} and {@code normLayer} null: torchvision's defaults ({@code CNBlock}, {@code partial(LayerNorm2d, eps=1e-6)}).
     */
    public record Options(int numClasses, Double stochasticDepthProb, double layerScale, Block block, NormLayer normLayer) {
        public static final Options DEFAULT = new Options(1000, null, 1e-6, null, null);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
        }

        public Options(int numClasses, Double stochasticDepthProb, double layerScale) {
            this(numClasses, stochasticDepthProb, layerScale, null, null);
        }

        public Options numClasses(int n) {
            return new Options(n, stochasticDepthProb, layerScale, block, normLayer);
        }

        public Options stochasticDepthProb(Double p) {
            return new Options(numClasses, p, layerScale, block, normLayer);
        }

        public Options layerScale(double s) {
            return new Options(numClasses, stochasticDepthProb, s, block, normLayer);
        }

        /** torchvision's {@code block}: called as {@code block(dim, layer_scale, sd_prob)} for every block. */
        public Options block(Block b) {
            return new Options(numClasses, stochasticDepthProb, layerScale, b, normLayer);
        }

        /** torchvision's {@code norm_layer}: the stem's, each downsampling's and the classifier's norm (not the blocks'). */
        public Options normLayer(NormLayer n) {
            return new Options(numClasses, stochasticDepthProb, layerScale, block, n);
        }
    }

    /**
     * torchvision's {@code block} argument: {@code block(dim, layer_scale, stochastic_depth_prob)} builds one block.
     * {@link #CN_BLOCK} is {@code CNBlock}; {@link #cnBlock(NormLayer)} is {@code partial(CNBlock, norm_layer=...)}.
     */
    @FunctionalInterface
    public interface Block {
        Module make(int dim, double layerScale, double stochasticDepthProb, DType dtype);

        /** {@code CNBlock}, whose norm is {@code partial(nn.LayerNorm, eps=1e-6)}. */
        Block CN_BLOCK = (d, s, p, dt) -> new CNBlock(d, s, p, null, dt);

        /** {@code partial(CNBlock, norm_layer=norm)}: the norm runs on NHWC, so over the channels as the last dim. */
        static Block cnBlock(NormLayer norm) {
            return (d, s, p, dt) -> new CNBlock(d, s, p, norm, dt);
        }

        /**
         * A block by name, as {@code block='CNBlock'} or {@code block='CNBlock(norm_layer=LayerNorm(eps=1e-05))'} (the
         * inner norm quoted or not, see {@link NormLayer#parse}): {@code CNBlock} or that partial of it.
         */
        static Block parse(String spec) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "\\s*(?:(?:torchvision\\.models\\.)?convnext\\.)?CNBlock\\s*(?:\\(\\s*(.*?)\\s*\\))?\\s*").matcher(spec);
            if (!m.matches()) {
                throw new IllegalArgumentException("block='" + spec + "': expected CNBlock or CNBlock(norm_layer=...), "
                        + "e.g. 'CNBlock(norm_layer=LayerNorm(eps=1e-05))'");
            }
            String body = m.group(1) == null ? "" : m.group(1);
            if (body.isEmpty()) return CN_BLOCK;
            java.util.regex.Matcher kw = java.util.regex.Pattern.compile("norm_layer\\s*=\\s*(['\"]?)(.*)\\1").matcher(body);
            if (!kw.matches()) {
                throw new IllegalArgumentException("block='" + spec + "': CNBlock takes dim, layer_scale and stochastic_depth_prob from "
                        + "ConvNeXt; the one argument to give is norm_layer=..., got '" + body + "'");
            }
            return kw.group(2).strip().equals("None") ? CN_BLOCK : cnBlock(NormLayer.parse(kw.group(2)));
        }
    }

    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;

    /** {@code small}: convnext_small (27 blocks in stage 3, stochastic depth 0.4), else convnext_tiny (9, 0.1). */
    public ConvNeXt(boolean small, Options o, DType dt) {
        int[][] setting = {{96, 192, 3}, {192, 384, 3}, {384, 768, small ? 27 : 9}, {768, 0, 3}};
        double sdProb = o.stochasticDepthProb() != null ? o.stochasticDepthProb() : small ? 0.4 : 0.1;
        List<Module> layers = new ArrayList<>();
        NormLayer norm = o.normLayer() != null ? o.normLayer() : NormLayer.layerNorm2d(1e-6);
        Block block = o.block() != null ? o.block() : Block.CN_BLOCK;
        layers.add(new Sequential(Blocks.conv(3, setting[0][0], 4, 4, 0, 1, 1, true, dt), norm.make(setting[0][0], dt)));
        int total = 0;
        for (int[] s : setting) total += s[2];
        int blockId = 0;
        for (int[] s : setting) {
            List<Module> stage = new ArrayList<>();
            for (int i = 0; i < s[2]; i++) {
                stage.add(block.make(s[0], o.layerScale(), sdProb * blockId / (total - 1.0), dt));
                blockId++;
            }
            layers.add(new Sequential(stage));
            if (s[1] > 0) layers.add(new Sequential(norm.make(s[0], dt), Blocks.conv(s[0], s[1], 2, 2, 0, 1, 1, true, dt)));
        }
        features = registerModule("features", new Sequential(layers));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        classifier = registerModule("classifier", new Sequential(norm.make(768, dt), new Flatten(1, -1),
                new Linear(768, o.numClasses(), true, dt, null)));
        for (Module m : modules()) {
            if (m instanceof org.convinit.nn.Conv2d) truncNormal(((org.convinit.nn.Conv2d) m).weight(), ((org.convinit.nn.Conv2d) m).bias());
            else if (m instanceof Linear) truncNormal(((Linear) m).weight(), ((Linear) m).bias());
        }
    }

    private static void truncNormal(Tensor weight, Tensor bias) {
        Init.truncNormal(weight, 0, 0.02, -2, 2, null);
        if (bias != null) Init.zeros(bias);
    }

    @Override
    public Tensor forward(Tensor input) {
        return classifier.call(avgpool.call(features.call(input)));
    }

    /**
     * {@code x + stochastic_depth(layer_scale · block(x))}, block = dw 7x7, norm (on NHWC; default
     * {@code LayerNorm(dim, eps=1e-6)}), Linear 4x, GELU, Linear.
     */
    public static final class CNBlock extends Module {
        private final Sequential block;
        private final Parameter layerScale;
        private final Module stochasticDepth;

        /** {@code CNBlock(dim, layer_scale, stochastic_depth_prob, norm_layer)}; {@code norm} null: LayerNorm, eps 1e-6. */
        public CNBlock(int dim, double layerScale, double sdProb, NormLayer norm, DType dt) {
            block = registerModule("block", new Sequential(Blocks.conv(dim, dim, 7, 1, 3, dim, 1, true, dt), new Permute(0, 2, 3, 1),
                    (norm != null ? norm : NormLayer.layerNorm(1e-6)).make(dim, dt), new Linear(dim, 4 * dim, true, dt, null), new GELU(),
                    new Linear(4 * dim, dim, true, dt, null), new Permute(0, 3, 1, 2)));
            this.layerScale = registerParameter("layer_scale", new Parameter(Tensor.ones(dt, dim, 1, 1).mul(layerScale)));
            stochasticDepth = registerModule("stochastic_depth", new StochasticDepth(sdProb, "row"));
        }

        @Override
        public Tensor forward(Tensor input) {
            return Residual.addInPlace(stochasticDepth.call(layerScale.mul(block.call(input))), input);
        }
    }

    /** torchvision's {@code ops.Permute(dims)}: a view with the dims reordered. */
    static final class Permute extends Module {
        private final int[] dims;

        Permute(int... dims) {
            this.dims = dims.clone();
        }

        @Override
        public Tensor forward(Tensor input) {
            return input.permute(dims);
        }
    }

    /**
     * ConvNeXt's {@code LayerNorm2d}: LayerNorm over the channels of {@code [N, C, H, W]} at each position,
     * {@code (x - E_c[x]) / √(Var_c[x] + eps) · weight + bias} with the biased variance, weight ones and bias zeros
     * ({@code elementwise_affine}: without them, no parameters). ConvNeXt's default norm is it with eps 1e-6.
     */
    static final class LayerNorm2d extends Module {
        private final Parameter weight;
        private final Parameter bias;
        private final int channels;
        private final double eps;

        LayerNorm2d(int channels, double eps, boolean affine, DType dt) {
            this.channels = channels;
            this.eps = eps;
            weight = affine ? registerParameter("weight", new Parameter(Tensor.ones(dt, channels))) : null;
            bias = affine ? registerParameter("bias", new Parameter(Tensor.zeros(dt, channels))) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            if (x.dim() < 2 || x.size(1) != channels) {
                throw new IllegalArgumentException("LayerNorm2d(" + channels + "): input " + x.shape() + " has not " + channels + " channels");
            }
            Tensor mean = x.mean(1, true);
            Tensor centered = x.sub(mean);
            Tensor var = centered.mul(centered).mean(1, true);
            Tensor y = centered.div(var.add(eps).sqrt());
            return weight == null ? y : y.mul(weight.reshape(1, channels, 1, 1)).add(bias.reshape(1, channels, 1, 1));
        }

        @Override
        public String toString() {
            return "LayerNorm2d((" + channels + ",), eps=" + eps + ", elementwise_affine=" + (weight != null ? "True" : "False") + ")";
        }
    }
}
