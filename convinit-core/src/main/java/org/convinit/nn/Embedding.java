package org.convinit.nn;

import org.convinit.autograd.GradMode;
import org.convinit.init.Init;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)}: a lookup table
 * {@code weight [num_embeddings, embedding_dim]} initialised with {@code normal_(weight)} — N(0, 1), on
 * torch's path for its size (the AVX2 fill from 16 values, else the scalar path with its cached
 * sample) — then the {@code padding_idx} row zeroed. Forward maps integer indices of any shape to
 * {@code [*indices.shape, embedding_dim]}. ({@code max_norm}, {@code sparse} and
 * {@code scale_grad_by_freq} are not supported.)
 */
public final class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;
    private final Parameter weight;

    /** {@code nn.Embedding(num_embeddings, embedding_dim)}. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, DType.FLOAT32, null);
    }

    /** {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx=p)}; a negative p counts from the end. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, DType.FLOAT32, null);
    }

    /** Full form: dtype float32 or float64, the generator for the init (null: the default one). */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, DType dtype, Generator generator) {
        if (numEmbeddings < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("Embedding: num_embeddings = " + numEmbeddings + ", embedding_dim = "
                    + embeddingDim + ": expected sizes >= 0");
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: padding_idx = " + paddingIdx + ": Padding_idx must be within "
                    + "num_embeddings (" + numEmbeddings + ")");
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("Embedding: dtype " + dtype + ": expected float32 or float64");
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.weight = registerParameter("weight", new Parameter(Tensor.empty(dtype, numEmbeddings, embeddingDim)));
        resetParameters(generator);
    }

    /** torch's {@code reset_parameters}: {@code normal_(weight)}, then the padding row set to zero. */
    public void resetParameters(Generator generator) {
        Init.normal(weight, 0, 1, generator);
        if (paddingIdx != null) {
            try (var g = GradMode.noGrad()) {
                weight.select(0, paddingIdx).fill_(0);
            }
        }
    }

    public Parameter weight() {
        return weight;
    }

    /** The padding index (made non-negative), or null. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    @Override
    public Tensor forward(Tensor indices) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException("Embedding: indices of dtype " + indices.dtype()
                    + ": expected int64 or int32 indices");
        }
        long[] idx = indices.toLongArray();
        int[] inShape = indices.shape().toArray();
        int[] outShape = java.util.Arrays.copyOf(inShape, inShape.length + 1);
        outShape[inShape.length] = embeddingDim;
        Tensor out = Tensor.empty(weight.dtype(), outShape);
        Tensor flat = out.view(idx.length, embeddingDim);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= numEmbeddings) {
                throw new IllegalArgumentException("Embedding: index " + idx[i] + " at position " + i
                        + ": index out of range in self (expected 0 <= index < " + numEmbeddings + ")");
            }
            flat.select(0, i).copy_(weight.detach().select(0, (int) idx[i]));
        }
        // d weight[idx[i]] += d out[i]; the padding_idx row gets no gradient, as in torch
        return org.convinit.autograd.Autograd.record(out, "EmbeddingBackward0", new Tensor[] {weight}, new Tensor[0], g -> {
            double[] gy = g.contiguous().toDoubleArray();
            double[] gw = new double[numEmbeddings * embeddingDim];
            for (int i = 0; i < idx.length; i++) {
                if (paddingIdx != null && idx[i] == paddingIdx) continue;
                int row = (int) idx[i] * embeddingDim;
                for (int k = 0; k < embeddingDim; k++) gw[row + k] += gy[i * embeddingDim + k];
            }
            return new Tensor[] {Tensor.of(gw, numEmbeddings, embeddingDim).to(weight.dtype())};
        });
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : "");
    }
}
