package io.github.lstm4j.nn;

import io.github.lstm4j.Tensor;
import io.github.lstm4j.tensor.Shape;
import java.util.Arrays;

/**
 * A batch of sequences of different lengths, the counterpart of PyTorch's
 * {@code PackedSequence} built by {@code pack_padded_sequence(x, lengths, enforce_sorted=False)}.
 *
 * <p>It has the same meaning as PyTorch's type (which steps of which sequence exist) but a simpler
 * layout: the time-major padded tensor {@code (T, B, *)} plus each sequence's length, in the
 * caller's batch order (no sorting is needed). Recurrent layers run each sequence for exactly its
 * own length: outputs past a length are zero, the final state is taken at each sequence's last
 * valid step (in both directions), and padded inputs get zero gradient.
 */
public final class PackedSequence {

    private final Tensor data;
    private final int[] lengths;

    private PackedSequence(Tensor data, int[] lengths) {
        this.data = data;
        this.lengths = lengths;
    }

    /**
     * Packs a padded batch, like {@code pack_padded_sequence(input, lengths, batch_first, enforce_sorted=False)}.
     *
     * @param padded {@code (T, B, *)} or, with {@code batchFirst}, {@code (B, T, *)}
     * @param lengths one length per batch entry, each in {@code [1, T]}, in any order
     * @throws IllegalArgumentException for a wrong count of lengths or a length out of range
     */
    public static PackedSequence pack(Tensor padded, int[] lengths, boolean batchFirst) {
        if (padded.dim() < 2) {
            throw new IllegalArgumentException("pack: expected a padded tensor with at least 2 dims (T, B, *), got shape "
                + Shape.format(padded.shape()));
        }
        Tensor timeMajor = batchFirst ? padded.transpose(0, 1) : padded;
        int t = timeMajor.size(0);
        int b = timeMajor.size(1);
        if (lengths.length != b) {
            throw new IllegalArgumentException("pack: expected " + b + " lengths (one per sequence in the batch), got "
                + lengths.length);
        }
        for (int i = 0; i < b; i++) {
            if (lengths[i] <= 0 || lengths[i] > t) {
                throw new IllegalArgumentException("pack: length " + lengths[i] + " of sequence " + i
                    + " is out of range [1, " + t + "] (padded length " + t + ")");
            }
        }
        return new PackedSequence(timeMajor, lengths.clone());
    }

    /** Same as {@link #pack(Tensor, int[], boolean)} with lengths given as longs (as PyTorch's int64). */
    public static PackedSequence pack(Tensor padded, long[] lengths, boolean batchFirst) {
        int[] l = new int[lengths.length];
        for (int i = 0; i < l.length; i++) {
            if (lengths[i] > Integer.MAX_VALUE || lengths[i] < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("pack: length " + lengths[i] + " out of range");
            }
            l[i] = (int) lengths[i];
        }
        return pack(padded, l, batchFirst);
    }

    /** Wraps a time-major tensor whose lengths are already checked (for layers producing output). */
    static PackedSequence ofTimeMajor(Tensor data, int[] lengths) {
        return new PackedSequence(data, lengths);
    }

    /** The time-major padded data {@code (T, B, *)}; entries past a sequence's length carry no meaning. */
    public Tensor data() {
        return data;
    }

    /** Each sequence's length, in batch order (a copy). */
    public int[] lengths() {
        return lengths.clone();
    }

    /** The number of sequences. */
    public int batchSize() {
        return lengths.length;
    }

    /** The padded length {@code T}. */
    public int maxLength() {
        return data.size(0);
    }

    /** PyTorch's {@code batch_sizes}: how many sequences are still running at each step. */
    public int[] batchSizes() {
        int max = Arrays.stream(lengths).max().orElse(0);
        int[] bs = new int[max];
        for (int len : lengths) {
            for (int i = 0; i < len; i++) {
                bs[i]++;
            }
        }
        return bs;
    }

    /**
     * Pads back to a tensor, like {@code pad_packed_sequence(seq, batch_first, total_length=T)}:
     * values past each length are zero. Differentiable.
     *
     * @param totalLength the padded length, at least the longest sequence (use {@link #maxLength()})
     */
    public Tensor pad(boolean batchFirst, int totalLength) {
        int longest = Arrays.stream(lengths).max().orElse(0);
        if (totalLength < longest) {
            throw new IllegalArgumentException("pad: total_length " + totalLength
                + " is smaller than the longest sequence " + longest);
        }
        int t = data.size(0);
        int b = data.size(1);
        int[] featureShape = Arrays.copyOfRange(data.shape(), 2, data.dim());
        int features = Shape.numel(featureShape);
        float[] mask = new float[t * b * features];
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < b; i++) {
                if (s < lengths[i]) {
                    Arrays.fill(mask, (s * b + i) * features, (s * b + i + 1) * features, 1f);
                }
            }
        }
        Tensor padded = data.mul(Tensor.wrap(mask, data.shape()));
        if (totalLength > t) {
            int[] extra = data.shape();
            extra[0] = totalLength - t;
            padded = Tensor.cat(java.util.List.of(padded, Tensor.zeros(extra)), 0);
        } else if (totalLength < t) {
            padded = padded.narrow(0, 0, totalLength);
        }
        return batchFirst ? padded.transpose(0, 1) : padded;
    }
}
