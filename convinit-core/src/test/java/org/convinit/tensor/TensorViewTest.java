package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorViewTest {

    static Tensor arange(int... shape) {
        int n = (int) Shape.of(shape).numel();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return Tensor.of(v, shape);
    }

    @Test
    void shapePrintsLikeTorch() {
        assertThat(Shape.of(16, 3, 3, 3).toString()).isEqualTo("[16, 3, 3, 3]");
        assertThat(Shape.scalar().toString()).isEqualTo("[]");
        assertThat(Shape.of(2, 3).numel()).isEqualTo(6);
        assertThatThrownBy(() -> Shape.of(2, -1)).hasMessage("shape [2, -1]: size of dim 1 is -1, expected a non-negative size");
    }

    @Test
    void viewsShareStorageAndSeeWrites() {
        Tensor t = arange(2, 3, 4);
        Tensor v = t.view(6, 4);
        v.set(100, 5, 3);
        assertThat(t.get(1, 2, 3)).isEqualTo(100);
        assertThat(v.sharesStorageWith(t)).isTrue();
        assertThat(t.view(-1, 12).shape()).isEqualTo(Shape.of(2, 12));
        assertThat(t.reshape(4, -1).shape()).isEqualTo(Shape.of(4, 6));
    }

    @Test
    void viewOfNonContiguousFailsButReshapeCopies() {
        Tensor t = arange(2, 3).t();
        assertThat(t.isContiguous()).isFalse();
        assertThatThrownBy(() -> t.view(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("view size [6] is not compatible with input tensor's size [3, 2]")
                .hasMessageContaining("Use reshape(...) instead");
        Tensor r = t.reshape(6);
        assertThat(r.toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(r.sharesStorageWith(t)).isFalse();
    }

    @Test
    void invalidShapesNameTheSize() {
        Tensor t = arange(2, 3);
        assertThatThrownBy(() -> t.view(4, -1)).hasMessage("shape '[4, -1]' is invalid for input of size 6");
        assertThatThrownBy(() -> t.view(-1, -1)).hasMessageContaining("only one dimension can be inferred");
        assertThatThrownBy(() -> t.view(7)).hasMessageContaining("is invalid for input of size 6");
    }

    @Test
    void permuteTransposeAndContiguous() {
        Tensor t = arange(2, 3, 4);
        Tensor p = t.permute(2, 0, 1);
        assertThat(p.shape()).isEqualTo(Shape.of(4, 2, 3));
        assertThat(p.strides()).containsExactly(1, 12, 4);
        assertThat(p.get(3, 1, 2)).isEqualTo(t.get(1, 2, 3));
        Tensor c = p.contiguous();
        assertThat(c.isContiguous()).isTrue();
        assertThat(c.get(3, 1, 2)).isEqualTo(23);
        assertThat(t.transpose(0, -1).shape()).isEqualTo(Shape.of(4, 3, 2));
        assertThatThrownBy(() -> t.permute(0, 0, 1)).hasMessageContaining("dim 0 repeats");
        assertThatThrownBy(() -> t.t()).hasMessage("t() expects a tensor with <= 2 dimensions, but self is 3D");
    }

    @Test
    void selectNarrowSliceAndIndex() {
        Tensor t = arange(4, 5);
        assertThat(t.select(1, -1).toFloatArray()).containsExactly(4, 9, 14, 19);
        assertThat(t.narrow(0, 1, 2).toFloatArray()).containsExactly(5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertThat(t.slice(1, 1, 100, 2).toFloatArray()).containsExactly(1, 3, 6, 8, 11, 13, 16, 18);
        assertThat(t.slice(0, -2, 4, 1).shape()).isEqualTo(Shape.of(2, 5));
        assertThat(t.index(2).toFloatArray()).containsExactly(10, 11, 12, 13, 14);
        assertThat(t.index(-1, -1).item()).isEqualTo(19);
        assertThatThrownBy(() -> t.narrow(1, 3, 3)).hasMessageContaining("start + length exceeds dimension size");
        assertThatThrownBy(() -> t.select(0, 4)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index 4 is out of bounds for dimension 0 with size 4");
    }

    @Test
    void squeezeUnsqueezeAndExpand() {
        Tensor t = arange(1, 3, 1);
        assertThat(t.squeeze().shape()).isEqualTo(Shape.of(3));
        assertThat(t.squeeze(0).shape()).isEqualTo(Shape.of(3, 1));
        assertThat(t.squeeze(1).shape()).isEqualTo(Shape.of(1, 3, 1));
        assertThat(t.unsqueeze(-1).shape()).isEqualTo(Shape.of(1, 3, 1, 1));
        assertThat(arange(3).unsqueeze(0).shape()).isEqualTo(Shape.of(1, 3));
        Tensor e = arange(3, 1).expand(2, 3, 4);
        assertThat(e.shape()).isEqualTo(Shape.of(2, 3, 4));
        assertThat(e.strides()).containsExactly(0, 1, 0);
        assertThat(e.get(1, 2, 3)).isEqualTo(2);
        assertThatThrownBy(() -> arange(3).expand(4)).hasMessageContaining(
                "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0");
    }

    @Test
    void elementAccessUsesPythonNegativeIndicesAndNamesTheFailingDim() {
        Tensor w = Tensor.zeros(DType.FLOAT32, 16, 3, 3, 3);
        w.set(1, 0, 0, 0, 0);
        w.set(2, -1, -1, -1, -1);
        assertThat(w.get(0, 0, 0, 0)).isEqualTo(1);
        assertThat(w.get(15, 2, 2, 2)).isEqualTo(2);
        assertThatThrownBy(() -> w.get(0, 3, 0, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index 3 is out of bounds for dimension 1 with size 3");
        assertThatThrownBy(() -> w.get(-17, 0, 0, 0)).hasMessage("index -17 is out of bounds for dimension 0 with size 16");
        assertThatThrownBy(() -> w.get(0, 0)).hasMessage("index [0, 0] for a tensor of shape [16, 3, 3, 3]: expected 4 indices");
        assertThatThrownBy(() -> w.item()).hasMessage("a Tensor with 432 elements cannot be converted to Scalar");
    }

    @Test
    void wrapValidatesTheViewAgainstTheStorage() {
        Storage s = Storage.allocate(DType.FLOAT32, 10);
        assertThat(Tensor.wrap(s, Shape.of(2, 5), new int[] {5, 1}, 0).numel()).isEqualTo(10);
        assertThatThrownBy(() -> Tensor.wrap(s, Shape.of(2, 5), new int[] {5, 1}, 1))
                .hasMessageContaining("reaches element 10, but the storage holds 10 elements");
        assertThat(Tensor.wrap(s, Shape.of(0, 5), new int[] {5, 1}, 10).numel()).isZero();
    }

    @Test
    void viewsOfSmallRanksRecordTheirBackward() {
        Tensor v = Tensor.vector(1, 2, 3).requiresGrad(true);
        Tensor t = v.t();
        assertThat(t.gradFn()).isNotNull();
        t.mul(Tensor.vector(4, 5, 6)).sum().backward();
        assertThat(v.grad().toFloatArray()).containsExactly(4, 5, 6);
        Tensor s = Tensor.scalar(2).requiresGrad(true);
        Tensor one = s.view(1, -1);
        assertThat(one.shape()).isEqualTo(Shape.of(1, 1));
        assertThat(one.strides()).containsExactly(1, 1);
        one.sum().backward();
        assertThat(s.grad().item()).isEqualTo(1);
        assertThatThrownBy(() -> s.transpose(0, 1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    }

    @Test
    void fillingAnEmptyViewPastTheStorageEndIsANoOp() {
        // found by ParserFuzzTest (ParserFuzzTestInputs/model/embedding_empty_padding_row): Embedding(10, 0, 4) zeroes
        // row 4 of a [10, 0] weight, a view at offset 4 of an empty storage; fill_ was an ArrayIndexOutOfBoundsException
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            Tensor row = Tensor.zeros(dt, 10, 0).select(0, 4);
            assertThat(row.storageOffset()).isEqualTo(4);
            assertThat(row.fill_(1).numel()).isZero();
        }
        assertThat(new org.convinit.nn.Embedding(10, 0, 4, DType.FLOAT32, null).weight().shape().toArray()).containsExactly(10, 0);
    }
}
