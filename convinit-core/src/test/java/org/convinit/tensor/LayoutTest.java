package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Layout as a value: validation, copies, equality and the element addressing kernels rely on. */
class LayoutTest {

    static Layout of(int[] size, int[] stride, int offset) {
        return Layout.of(Shape.of(size), stride, offset);
    }

    @Test
    void isAnImmutableValue() {
        int[] stride = {3, 1};
        Layout l = of(new int[] {2, 3}, stride, 4);
        stride[0] = 99;
        assertThat(l.strides()).containsExactly(3, 1);
        l.strides()[1] = 99;
        l.sizes()[0] = 99;
        assertThat(l).isEqualTo(of(new int[] {2, 3}, new int[] {3, 1}, 4));
        assertThat(l.hashCode()).isEqualTo(of(new int[] {2, 3}, new int[] {3, 1}, 4).hashCode());
        assertThat(l).isNotEqualTo(of(new int[] {2, 3}, new int[] {3, 1}, 0))
                .isNotEqualTo(of(new int[] {2, 3}, new int[] {1, 2}, 4))
                .isNotEqualTo(of(new int[] {3, 2}, new int[] {3, 1}, 4));
        assertThat(l.toString()).isEqualTo("Layout(size=[2, 3], stride=[3, 1], offset=4)");
        assertThat(Layout.contiguous(Shape.scalar()).toString()).isEqualTo("Layout(size=[], stride=[], offset=0)");
    }

    @Test
    void explicitLayoutsAreValidated() {
        Object[][] table = {
            {new int[] {2, 3}, new int[] {3}, 0, "strides [3] for shape [2, 3]: expected 2 strides"},
            {new int[] {2, 3}, new int[] {3, 1}, -1, "storage offset -1: expected >= 0"},
            {new int[] {2, 3}, new int[] {-3, 1}, 0, "stride -3 of dim 0: expected >= 0"},
            {new int[] {2, -3}, new int[] {3, 1}, 0, "shape [2, -3]: size of dim 1 is -3, expected a non-negative size"},
        };
        for (Object[] row : table) {
            assertThatThrownBy(() -> of((int[]) row[0], (int[]) row[1], (int) row[2])).hasMessage((String) row[3]);
        }
    }

    @Test
    void addressesElementsInRowMajorOrder() {
        Layout t = Layout.contiguous(Shape.of(2, 3)).t();
        assertThat(t.elementOffsets()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(t.storageIndex(2, 1)).isEqualTo(5);
        assertThat(t.storageIndex(-1, -2)).isEqualTo(2);
        assertThat(t.maxIndex()).isEqualTo(5);
        assertThat(of(new int[] {2, 0}, new int[] {1, 1}, 7).maxIndex()).isEqualTo(-1);
        assertThat(of(new int[] {2, 2}, new int[] {10, 3}, 7).maxIndex()).isEqualTo(20);
        assertThat(t.size(-1)).isEqualTo(2);
        assertThat(t.stride(0)).isEqualTo(1);
        assertThatThrownBy(() -> t.storageIndex(3, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("index 3 is out of bounds for dimension 0 with size 3");
        assertThatThrownBy(() -> t.storageIndex(0)).hasMessage("index [0] for a tensor of shape [3, 2]: expected 2 indices");
    }

    @Test
    void tryViewIsEmptyOnlyWhenStridesForbidAView() {
        Layout t = Layout.contiguous(Shape.of(2, 3)).t();
        assertThat(t.tryView(6)).isEmpty();
        assertThat(t.tryView(3, 1, 2)).contains(of(new int[] {3, 1, 2}, new int[] {1, 6, 3}, 0)); // torch: (1, 6, 3)
        assertThatThrownBy(() -> t.tryView(4)).hasMessage("shape '[4]' is invalid for input of size 6 (shape [3, 2])");
        assertThatThrownBy(() -> t.view(6)).hasMessageStartingWith("view size [6] is not compatible with input tensor's size [3, 2]");
    }

    @Test
    void inversePermutationUndoesPermute() {
        Layout l = Layout.contiguous(Shape.of(2, 3, 4, 5));
        int[] dims = {0, -2, 3, 1};
        assertThat(l.permute(dims).permute(Layout.inversePermutation(dims))).isEqualTo(l);
    }
}
