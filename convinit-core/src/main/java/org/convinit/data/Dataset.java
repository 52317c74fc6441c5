package org.convinit.data;

/**
 * A map-style dataset ({@code torch.utils.data.Dataset}) that also assembles batches, as a
 * {@link DataLoader} with torch's default collation would.
 *
 * @param <T> one example
 * @param <B> a batch of examples
 */
public interface Dataset<T, B> {
    /** Number of examples ({@code len(dataset)}). */
    int size();

    /** Example {@code index} ({@code dataset[index]}). */
    T get(int index);

    /** The examples at {@code indices}, in that order, stacked into one batch. */
    B batch(int[] indices);
}
