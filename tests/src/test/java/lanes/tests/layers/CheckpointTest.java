package lanes.tests.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import lanes.layers.data.Dataset;
import lanes.layers.models.Models;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Parameter;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Adam;
import lanes.layers.optim.Optimizer;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped at a checkpoint and resumed trains on, bit for bit, as the run that never stopped. */
class CheckpointTest {
    static Dataset data() {
        int count = 70;                       // batches of 16: four full, one of 6
        Random r = new Random(8);
        float[] pixels = new float[count * 784];
        int[] labels = new int[count];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        for (int i = 0; i < count; i++) {
            labels[i] = r.nextInt(10);
        }
        return new Dataset(pixels, labels, 1, 28, 28, 10);
    }

    static float[][] values(Sequential model) {
        return model.parameters().stream().map(p -> p.value.toArray()).toArray(float[][]::new);
    }

    void resumingMatchesTheUnbrokenRun(Function<List<Parameter>, Optimizer> optimizer, Path dir) throws IOException {
        Dataset d = data();
        Sequential unbroken = Models.mlp(Activation::relu, 3, 784, 32, 10);
        new Trainer(unbroken, optimizer.apply(unbroken.parameters()), 16, 9).fit(d, 4, new Trainer.Listener() { });

        Sequential first = Models.mlp(Activation::relu, 3, 784, 32, 10);
        Trainer t1 = new Trainer(first, optimizer.apply(first.parameters()), 16, 9).withCheckpoints(dir, 2);
        t1.fit(d, 3, new Trainer.Listener() { });             // checkpoint after epoch 2; epoch 3 is thrown away
        Path file = dir.resolve("checkpoint-2.lanes");
        assertTrue(Files.exists(file));

        Sequential second = Models.mlp(Activation::relu, 77, 784, 32, 10);    // other weights until resumed
        Trainer t2 = new Trainer(second, optimizer.apply(second.parameters()), 16, 9);
        t2.resume(file);
        assertEquals(2, t2.epochs());
        t2.fit(d, 2, new Trainer.Listener() { });
        float[][] want = values(unbroken);
        float[][] got = values(second);
        for (int p = 0; p < want.length; p++) {
            assertArrayEquals(want[p], got[p], "parameter " + p + " after 2 + 2 epochs");
        }
        assertEquals(4, t2.epochs());
    }

    @Test
    void sgdWithMomentumResumesBitForBit(@TempDir Path dir) throws IOException {
        resumingMatchesTheUnbrokenRun(p -> new Sgd(p, 0.05f, 0.9f, 0f, 1e-4f, false), dir);
    }

    @Test
    void adamResumesBitForBit(@TempDir Path dir) throws IOException {
        resumingMatchesTheUnbrokenRun(p -> new Adam(p, 1e-3f), dir);
    }

    @Test
    void aDamagedOrForeignCheckpointIsRefusedByName(@TempDir Path dir) throws IOException {
        Sequential model = Models.mlp(Activation::relu, 3, 784, 32, 10);
        Trainer t = new Trainer(model, new Sgd(model.parameters(), 0.05f, 0.9f, 0f, 0f, false), 16, 9);
        t.fit(data(), 1, new Trainer.Listener() { });
        Path file = dir.resolve("c.lanes");
        t.saveCheckpoint(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Path flipped = dir.resolve("flipped.lanes");
        Files.write(flipped, bytes);
        IOException io = assertThrows(IOException.class, () -> t.resume(flipped));
        assertTrue(io.getMessage().contains("corrupted or truncated"), io.getMessage());

        Sequential other = Models.mlp(Activation::relu, 3, 784, 16, 10);
        Trainer wrongShape = new Trainer(other, new Sgd(other.parameters(), 0.05f, 0.9f, 0f, 0f, false), 16, 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wrongShape.resume(file));
        assertTrue(e.getMessage().contains("[32, 784] there and [16, 784] here"), e.getMessage());
        Trainer wrongSeed = new Trainer(model, new Sgd(model.parameters(), 0.05f, 0.9f, 0f, 0f, false), 16, 10);
        e = assertThrows(IllegalArgumentException.class, () -> wrongSeed.resume(file));
        assertTrue(e.getMessage().contains("seed 9"), e.getMessage());
        Trainer plain = new Trainer(model, new Sgd(model.parameters(), 0.05f), 16, 9);
        e = assertThrows(IllegalArgumentException.class, () -> plain.resume(file));
        assertTrue(e.getMessage().contains("state arrays"), e.getMessage());
    }

    @Test
    void earlyStoppingEndsARunThatStopsImproving() {
        Dataset d = data();         // validation: 30 training examples, memorised to 100 %, then no better
        Sequential model = Models.mlp(Activation::relu, 3, 784, 32, 10);
        Trainer t = new Trainer(model, new Sgd(model.parameters(), 0.05f, 0.9f, 0f, 0f, false), 16, 9)
                .withEarlyStopping(d.head(30), 2);
        t.fit(d, 60, new Trainer.Listener() { });
        assertTrue(t.stoppedEarly(), "stopped early");
        assertTrue(t.epochs() < 60, "epochs " + t.epochs());
        assertEquals(t.bestEpoch() + 2, t.epochs(), "two epochs without a better accuracy, then the stop");
        assertThrows(IllegalArgumentException.class, () -> t.withEarlyStopping(d, 0));
    }
}
