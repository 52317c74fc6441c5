package org.convinit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import org.convinit.random.Generator;
import org.junit.jupiter.api.Test;

class DataLoaderTest {

    private static List<int[]> epoch(DataLoader<int[]> loader) {
        List<int[]> out = new ArrayList<>();
        for (int[] b : loader) out.add(b);
        return out;
    }

    @Test
    void sequentialBatchesWithAndWithoutDropLast() {
        DataLoader<int[]> keep = new DataLoader<>(DataLoaderGoldenTest.indices(7), DataLoader.Options.of(3));
        assertThat(epoch(keep)).containsExactly(new int[] {0, 1, 2}, new int[] {3, 4, 5}, new int[] {6});
        assertThat(keep.numBatches()).isEqualTo(3);
        DataLoader<int[]> drop = new DataLoader<>(DataLoaderGoldenTest.indices(7), DataLoader.Options.of(3).dropLast(true));
        assertThat(epoch(drop)).containsExactly(new int[] {0, 1, 2}, new int[] {3, 4, 5});
        assertThat(drop.numBatches()).isEqualTo(2);
        DataLoader<int[]> tooBig = new DataLoader<>(DataLoaderGoldenTest.indices(2), DataLoader.Options.of(3).dropLast(true));
        assertThat(epoch(tooBig)).isEmpty();
    }

    @Test
    void shuffledEpochsArePermutationsThatDifferAndRepeatWithTheSeed() {
        DataLoader<int[]> a = new DataLoader<>(DataLoaderGoldenTest.indices(100),
                DataLoader.Options.of(8).shuffle(true).generator(new Generator(4)));
        int[] e1 = epoch(a).stream().flatMapToInt(Arrays::stream).toArray();
        int[] e2 = epoch(a).stream().flatMapToInt(Arrays::stream).toArray();
        assertThat(e1).hasSize(100).doesNotHaveDuplicates();
        assertThat(Arrays.stream(e1).sorted().toArray()).isEqualTo(java.util.stream.IntStream.range(0, 100).toArray());
        assertThat(e2).isNotEqualTo(e1);
        DataLoader<int[]> b = new DataLoader<>(DataLoaderGoldenTest.indices(100),
                DataLoader.Options.of(8).shuffle(true).generator(new Generator(4)));
        assertThat(epoch(b).stream().flatMapToInt(Arrays::stream).toArray()).isEqualTo(e1);
    }

    @Test
    void iteratorEndsCleanly() {
        Iterator<int[]> it = new DataLoader<>(DataLoaderGoldenTest.indices(2), DataLoader.Options.of(2)).iterator();
        assertThat(it.next()).containsExactly(0, 1);
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class).hasMessage("epoch finished after 2 of 2 examples");
    }

    @Test
    void refusesTorchsBadArguments() {
        assertThatThrownBy(() -> DataLoader.Options.of(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch_size should be a positive integer value, but got batch_size=0");
        assertThatThrownBy(() -> new DataLoader<>(DataLoaderGoldenTest.indices(0), DataLoader.Options.of(1).shuffle(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("num_samples should be a positive integer value, but got num_samples=0");
        assertThatThrownBy(() -> new Generator(0).randperm(-1)).hasMessage("randperm: n = -1: expected n >= 0");
    }
}
