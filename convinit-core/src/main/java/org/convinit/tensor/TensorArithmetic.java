package org.convinit.tensor;

/**
 * {@link Tensor}'s arithmetic, reductions and matrix product, by their torch names. Each records its
 * derivative for autograd (TensorOps states them beside the forward); broadcasting and dtype
 * promotion follow torch. Only {@code Tensor} implements this interface.
 *
 * <pre>{@code
 * Tensor loss = pred.sub(target).pow(2).mean();   // ((pred - target) ** 2).mean()
 * }</pre>
 */
public sealed interface TensorArithmetic permits Tensor {

    private Tensor self() {
        return (Tensor) this;
    }

    default Tensor add(Tensor other) {
        return TensorOps.binary(self(), other, TensorMath.Op.ADD);
    }

    default Tensor sub(Tensor other) {
        return TensorOps.binary(self(), other, TensorMath.Op.SUB);
    }

    default Tensor mul(Tensor other) {
        return TensorOps.binary(self(), other, TensorMath.Op.MUL);
    }

    default Tensor div(Tensor other) {
        return TensorOps.binary(self(), other, TensorMath.Op.DIV);
    }

    default Tensor add(double v) {
        return TensorOps.scalar(self(), v, TensorMath.Op.ADD);
    }

    default Tensor sub(double v) {
        return TensorOps.scalar(self(), v, TensorMath.Op.SUB);
    }

    default Tensor mul(double v) {
        return TensorOps.scalar(self(), v, TensorMath.Op.MUL);
    }

    default Tensor div(double v) {
        return TensorOps.scalar(self(), v, TensorMath.Op.DIV);
    }

    default Tensor pow(double exponent) {
        return TensorOps.scalar(self(), exponent, TensorMath.Op.POW);
    }

    default Tensor neg() {
        return TensorOps.unary(self(), TensorMath.Unary.NEG);
    }

    /** |x|; its gradient is sign(x) (0 at 0, as torch). */
    default Tensor abs() {
        return TensorOps.unary(self(), TensorMath.Unary.ABS);
    }

    default Tensor exp() {
        return TensorOps.unary(self(), TensorMath.Unary.EXP);
    }

    default Tensor log() {
        return TensorOps.unary(self(), TensorMath.Unary.LOG);
    }

    default Tensor sqrt() {
        return TensorOps.unary(self(), TensorMath.Unary.SQRT);
    }

    /** Sum of all elements (0-dim; float tensors keep their dtype, integer sums are int64). */
    default Tensor sum() {
        return TensorOps.sum(self());
    }

    /** Mean of all elements (floating tensors only, as torch). */
    default Tensor mean() {
        return TensorOps.mean(self());
    }

    /** Variance; {@code unbiased} divides by {@code n - 1} (Bessel), else by {@code n}. */
    default Tensor var(boolean unbiased) {
        return TensorOps.var(self(), unbiased);
    }

    /** Unbiased variance of all elements ({@code var()}: divides by {@code n - 1}). */
    default Tensor var() {
        return var(true);
    }

    /** Unbiased standard deviation of all elements ({@code std()}: divides by {@code n - 1}). */
    default Tensor std() {
        return std(true);
    }

    /** Standard deviation; {@code unbiased} as in {@link #var}. */
    default Tensor std(boolean unbiased) {
        return TensorOps.std(self(), unbiased);
    }

    /** Minimum of all elements; the gradient is shared evenly among tied minima, as torch's amin. */
    default Tensor min() {
        return TensorOps.extremum(self(), TensorMath.Reduce.MIN);
    }

    /** Maximum of all elements; the gradient is shared evenly among tied maxima, as torch's amax. */
    default Tensor max() {
        return TensorOps.extremum(self(), TensorMath.Reduce.MAX);
    }

    /** Sum over {@code dim}, keeping it as size 1 if {@code keepdim}. */
    default Tensor sum(int dim, boolean keepdim) {
        return TensorOps.sum(self(), dim, keepdim);
    }

    default Tensor mean(int dim, boolean keepdim) {
        return TensorOps.mean(self(), dim, keepdim);
    }

    default Tensor var(int dim, boolean unbiased, boolean keepdim) {
        return TensorOps.var(self(), dim, unbiased, keepdim);
    }

    default Tensor std(int dim, boolean unbiased, boolean keepdim) {
        return var(dim, unbiased, keepdim).sqrt();
    }

    default Tensor amax(int dim, boolean keepdim) {
        return TensorOps.extremum(self(), dim, keepdim, TensorMath.Reduce.MAX);
    }

    default Tensor amin(int dim, boolean keepdim) {
        return TensorOps.extremum(self(), dim, keepdim, TensorMath.Reduce.MIN);
    }

    /** 2-D matrix product {@code [n, k] @ [k, m] -> [n, m]}. */
    default Tensor matmul(Tensor other) {
        return TensorOps.matmul(self(), other);
    }
}
