package lanes.layers.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A training run's state between epochs, so that a run can stop and resume as if it had not: the parameters'
 * values, the optimizer's state ({@link lanes.layers.optim.Optimizer#state}) and step count, and the trainer's position
 * (epochs and steps done, the shuffling seed and the current order of the examples). Written atomically, with a
 * CRC-32 over everything, and checked when read, like {@link ModelFile}.
 *
 * <pre>
 *   "LANESCKP" | version 1 | epochs | trainer steps | seed | order: n, n ints
 *   parameters: count, each (rank, shape, floats) | optimizer steps | state: count, each (length, floats) | crc32
 * </pre>
 */
public final class Checkpoint {
    /** The file's first bytes. */
    public static final byte[] MAGIC = "LANESCKP".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;

    /**
     * A checkpoint's contents.
     *
     * @param epochs         epochs done
     * @param trainerSteps   training steps done
     * @param seed           the trainer's shuffling seed
     * @param order          the examples' order after the last epoch
     * @param parameters     each parameter's values, row-major
     * @param shapes         each parameter's shape
     * @param optimizerSteps the optimizer's step count
     * @param optimizerState the optimizer's state arrays ({@link lanes.layers.optim.Optimizer#state})
     */
    public record State(int epochs, long trainerSteps, long seed, int[] order, List<float[]> parameters,
                        List<int[]> shapes, long optimizerSteps, List<float[]> optimizerState) {
    }

    private Checkpoint() {
    }

    /**
     * Writes {@code s} to {@code file}, atomically.
     *
     * @param file the checkpoint file
     * @param s the state
     * @throws IOException if it cannot be written; the old file, if any, is left as it was
     */
    public static void write(Path file, State s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(s.epochs());
        out.writeLong(s.trainerSteps());
        out.writeLong(s.seed());
        out.writeInt(s.order().length);
        for (int i : s.order()) {
            out.writeInt(i);
        }
        out.writeInt(s.parameters().size());
        for (int p = 0; p < s.parameters().size(); p++) {
            int[] shape = s.shapes().get(p);
            out.writeInt(shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            writeFloats(out, s.parameters().get(p));
        }
        out.writeLong(s.optimizerSteps());
        out.writeInt(s.optimizerState().size());
        for (float[] a : s.optimizerState()) {
            out.writeInt(a.length);
            writeFloats(out, a);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        ModelFile.writeAtomically(file, bytes.toByteArray());
    }

    /**
     * Reads a checkpoint, checked throughout: magic, version, checksum, every count against what remains.
     *
     * @param file the checkpoint file
     * @return the state
     * @throws IOException if the file cannot be read or is not what it claims to be, naming it
     */
    public static State read(Path file) throws IOException {
        byte[] all = ModelFile.readAll(file);
        if (all.length < MAGIC.length + 4 + 8 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException(file + ": not a Lanes checkpoint (it does not start with \"LANESCKP\")");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(file + ": corrupted or truncated: its checksum is 0x" + Long.toHexString(stored)
                    + " but its " + all.length + " bytes sum to 0x" + Long.toHexString(crc.getValue()));
        }
        ByteBuffer in = ByteBuffer.wrap(all, MAGIC.length, all.length - 8 - MAGIC.length);
        int version = ModelFile.getInt(in, file, "the version");
        if (version != VERSION) {
            throw new IOException(file + ": checkpoint version " + version + "; this Lanes reads version " + VERSION);
        }
        int epochs = ModelFile.getCount(in, file, "the epochs done", Integer.MAX_VALUE);
        long steps = getLong(in, file, "the steps done");
        long seed = getLong(in, file, "the seed");
        int[] order = new int[ModelFile.getCount(in, file, "the number of examples", in.remaining() / 4)];
        for (int i = 0; i < order.length; i++) {
            order[i] = in.getInt();
            if (order[i] < 0 || order[i] >= order.length) {
                throw new IOException(file + ": example " + i + " of the order is " + order[i] + ", not in 0.."
                        + (order.length - 1));
            }
        }
        int count = ModelFile.getCount(in, file, "the number of parameters", in.remaining() / 4);
        List<float[]> params = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            int[] shape = new int[ModelFile.getCount(in, file, "parameter " + p + "'s rank", 8)];
            long size = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = ModelFile.getCount(in, file, "parameter " + p + "'s extent " + d, in.remaining() / 4);
                size *= shape[d];
            }
            shapes.add(shape);
            params.add(readFloats(in, file, "parameter " + p, size));
        }
        long optimizerSteps = getLong(in, file, "the optimizer's steps");
        int arrays = ModelFile.getCount(in, file, "the number of optimizer arrays", in.remaining() / 4);
        List<float[]> state = new ArrayList<>();
        for (int a = 0; a < arrays; a++) {
            int n = ModelFile.getCount(in, file, "optimizer array " + a + "'s length", in.remaining() / 4);
            state.add(readFloats(in, file, "optimizer array " + a, n));
        }
        if (in.hasRemaining()) {
            throw new IOException(file + ": " + in.remaining() + " bytes after the last optimizer array");
        }
        return new State(epochs, steps, seed, order, params, shapes, optimizerSteps, state);
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(ByteBuffer in, Path file, String what, long n) throws IOException {
        if (n * 4 > in.remaining()) {
            throw new IOException(file + ": truncated: " + what + " needs " + n * 4 + " bytes, " + in.remaining()
                    + " remain");
        }
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.getFloat();
        }
        return a;
    }

    private static long getLong(ByteBuffer in, Path file, String what) throws IOException {
        if (in.remaining() < 8) {
            throw new IOException(file + ": truncated: ends before " + what);
        }
        return in.getLong();
    }
}
