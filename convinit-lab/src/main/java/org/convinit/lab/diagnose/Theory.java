package org.convinit.lab.diagnose;

import java.util.ArrayList;
import java.util.List;

import org.convinit.nn.LeakyReLU;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.WeightLayer;

/**
 * He et al. 2015 ("Delving Deep into Rectifiers", §2.2): the variance of a weight layer's output over that of the
 * previous weight layer is {@code c * fan_in * mean(w^2)}, with {@code c = 1/2} when a ReLU lies between them (half of
 * a zero-mean symmetric signal survives), {@code (1 + slope^2) / 2} for a LeakyReLU, and 1 otherwise. {@code fan_in} is
 * torch's ({@code Fans.of(weight.shape())}, as the init functions use it), so {@code kaiming_normal_} makes the gain 1,
 * Xavier with ReLU (for equal fans) 1/2, and torch's default init ({@code kaiming_uniform_(a=√5)}, variance
 * {@code 1/(3 fan_in)}) 1/6.
 *
 * <p>The first weight layer's gain is relative to its input (c from any ReLU before it). Normalization, pooling and
 * other layers between weight layers are not modelled: with BatchNorm between, the line is not a prediction.
 */
public final class Theory {
    private Theory() {}

    /** The rectifier factor {@code c} of one module, or NaN if it does not rectify. */
    static double rectifierFactor(Module m) {
        if (m instanceof ReLU) return 0.5;
        if (m instanceof LeakyReLU) {
            double s = ((LeakyReLU) m).negativeSlope();
            return (1 + s * s) / 2;
        }
        return Double.NaN;
    }

    /** {@code c * fanIn * mean(w^2)}. */
    public static double predictedGain(double c, long fanIn, double[] weight) {
        double ss = 0;
        for (double w : weight) ss += w * w;
        return c * fanIn * (ss / weight.length);
    }

    /**
     * {@code layers} with predicted_gain, measured_gain and predicted_std filled in for the weight layers;
     * {@code modules.get(i)} is the module of {@code layers.get(i)}.
     */
    static List<LayerStats> apply(List<LayerStats> layers, List<Module> modules) {
        List<LayerStats> out = new ArrayList<>(layers.size());
        double c = 1;
        Double firstStd = null;
        double prevStd = Double.NaN;
        double gainProduct = 1;
        for (int i = 0; i < layers.size(); i++) {
            LayerStats s = layers.get(i);
            Module m = modules.get(i);
            double rect = rectifierFactor(m);
            if (!Double.isNaN(rect)) c = rect;
            if (!s.isWeightLayer()) {
                out.add(s);
                continue;
            }
            double gain = predictedGain(c, s.fanIn(), ((WeightLayer) m).weight().detach().toDoubleArray());
            double std = s.output().std();
            Double measured = null;
            Double predictedStd;
            if (firstStd == null) {
                firstStd = std;
                predictedStd = std;
            } else {
                measured = (std / prevStd) * (std / prevStd);
                gainProduct *= gain;
                predictedStd = firstStd * Math.sqrt(gainProduct);
            }
            out.add(s.withTheory(gain, measured, predictedStd));
            prevStd = std;
            c = 1;
        }
        return out;
    }
}
