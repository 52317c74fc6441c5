package org.convinit.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

import org.convinit.random.Generator;

/**
 * Batches of a {@link Dataset} in sequential or shuffled order ({@code torch.utils.data.DataLoader} with
 * {@code num_workers=0} and default collation). Each {@link #iterator()} is one epoch. The random draws are
 * torch 1.13's, so the same seed gives the same batches as
 * {@code DataLoader(ds, batch_size, shuffle=True, drop_last, generator=torch.Generator().manual_seed(seed))}:
 *
 * <ol>
 * <li>Starting an epoch draws the loader's base seed (one {@code random64()}) from the loader's generator, or
 *     from the default generator when there is none, whether or not the loader shuffles.</li>
 * <li>With shuffling, the first batch draws the epoch's permutation with {@link Generator#randperm} from the loader's
 *     generator; without one, from a fresh generator seeded by a {@code random64()} (modulo 2^63) of the
 *     default generator ({@code RandomSampler}).</li>
 * <li>When the sampler runs out (before the short last batch, or when asked for a batch after the last one),
 *     torch's {@code RandomSampler} draws a second, unused permutation; so does this loader, keeping the
 *     generator in step for the next epoch.</li>
 * </ol>
 *
 * @param <B> the batch type
 */
public final class DataLoader<B> implements Iterable<B> {

    /**
     * {@code batch_size}, {@code shuffle}, {@code drop_last} and {@code generator} (null: the default generator).
     * The generator is shared, not copied: a loader advances it as torch does.
     */
    public record Options(int batchSize, boolean shuffle, boolean dropLast, Generator generator) {
        public Options {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
            }
        }

        /** Sequential batches of {@code batchSize}, the last one possibly short. */
        public static Options of(int batchSize) {
            return new Options(batchSize, false, false, null);
        }

        public Options shuffle(boolean shuffle) {
            return new Options(batchSize, shuffle, dropLast, generator);
        }

        public Options dropLast(boolean dropLast) {
            return new Options(batchSize, shuffle, dropLast, generator);
        }

        public Options generator(Generator generator) {
            return new Options(batchSize, shuffle, dropLast, generator);
        }
    }

    private final Dataset<?, B> dataset;
    private final Options options;

    public DataLoader(Dataset<?, B> dataset, Options options) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.options = Objects.requireNonNull(options, "options");
        if (options.shuffle() && dataset.size() <= 0) {
            throw new IllegalArgumentException("num_samples should be a positive integer value, but got num_samples=" + dataset.size());
        }
    }

    public Options options() {
        return options;
    }

    /** Batches per epoch ({@code len(loader)}). */
    public int numBatches() {
        int n = dataset.size();
        int bs = options.batchSize();
        return options.dropLast() ? n / bs : (int) ((n + (long) bs - 1) / bs);
    }

    /** One epoch. Draws the base seed now, the permutation at the first {@code hasNext()}/{@code next()}. */
    @Override
    public Iterator<B> iterator() {
        Generator.orDefault(options.generator()).random64(); // _base_seed, unused without worker processes
        return new Epoch();
    }

    private final class Epoch implements Iterator<B> {
        private final int n = dataset.size();
        private int[] order;
        private Generator sampler;
        private int pos;
        private boolean exhausted;

        private void start() {
            if (order != null) return;
            if (options.shuffle()) {
                sampler = options.generator() != null ? options.generator()
                        : new Generator(Generator.defaultGenerator().random64() & Long.MAX_VALUE);
                order = Arrays.stream(sampler.randperm(n)).mapToInt(v -> (int) v).toArray();
            } else {
                order = new int[n];
                Arrays.setAll(order, i -> i);
            }
        }

        /** The sampler ran out: torch's RandomSampler evaluates its trailing {@code randperm(n)[:0]}. */
        private void exhaust() {
            if (exhausted) return;
            exhausted = true;
            if (sampler != null) sampler.randperm(n);
        }

        @Override
        public boolean hasNext() {
            start();
            int remaining = n - pos;
            if (remaining >= options.batchSize() || (remaining > 0 && !options.dropLast())) return true;
            exhaust();
            return false;
        }

        @Override
        public B next() {
            if (!hasNext()) throw new NoSuchElementException("epoch finished after " + pos + " of " + n + " examples");
            int take = Math.min(options.batchSize(), n - pos);
            if (take < options.batchSize()) exhaust();
            int[] idx = Arrays.copyOfRange(order, pos, pos + take);
            pos += take;
            return dataset.batch(idx);
        }
    }
}
