package org.convinit.lab.diagnose;

/**
 * The numbers of one leaf module (see {@code docs/study-json.md}). Values that do not exist are null: no gradient
 * for a layer the loss does not reach, no weight, no prediction for a layer that is not a conv or linear.
 *
 * @param name           as torch's {@code named_modules()}
 * @param type           the module's class name ({@code Conv2d})
 * @param output         statistics of the module's output (forward, training mode)
 * @param histogram      of the output
 * @param gradOutputStd  unbiased std of d loss / d output
 * @param weightGradNorm L2 norm of the {@code weight} parameter's gradient
 * @param updateRatio    {@code 0.01 * weightGradNorm / ||weight||}: what an SGD step of lr 0.01 changes
 * @param fanIn          torch's fan-in of the weight (conv and linear only)
 * @param predictedGain  He et al.'s variance gain over the previous weight layer ({@link Theory})
 * @param measuredGain   {@code (output std / previous weight layer's output std)^2}
 * @param predictedStd   the theory's line: the first weight layer's std times the root of the later predicted gains
 */
public record LayerStats(String name, String type, Summary output, Histogram histogram, Double gradOutputStd,
                         Double weightGradNorm, Double updateRatio, Long fanIn, Double predictedGain, Double measuredGain,
                         Double predictedStd) {

    /** Whether this is a conv or linear layer (the layers the theory and the verdict speak of). */
    public boolean isWeightLayer() {
        return fanIn != null;
    }

    LayerStats withTheory(Double predicted, Double measured, Double predictedStdValue) {
        return new LayerStats(name, type, output, histogram, gradOutputStd, weightGradNorm, updateRatio, fanIn, predicted, measured,
                predictedStdValue);
    }
}
