package lanes.tests.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;

import lanes.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input throws the documented exception, and the message names the operation, the values and the limit. */
class TensorErrorsTest {

    private static void throwsMentioning(Class<? extends RuntimeException> type, Executable call, String... parts) {
        RuntimeException e = assertThrows(type, call);
        for (String part : parts) {
            if (!e.getMessage().contains(part)) {
                throw new AssertionError("message \"" + e.getMessage() + "\" does not mention \"" + part + "\"");
            }
        }
    }

    @Test
    void shapesMustBeNonNegativeAndFitTheirArray() {
        throwsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "zeros", "-1", "[2, -1]");
        throwsMentioning(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3), "wrap", "5", "[2, 3]");
        throwsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(1 << 16, 1 << 16), "zeros",
                "[65536, 65536]");
        throwsMentioning(IllegalArgumentException.class,
                () -> Tensor.view(new float[10], 2, new int[] {3, 3}, new int[] {3, 1}), "view", "10", "length 10");
        throwsMentioning(IllegalArgumentException.class,
                () -> Tensor.view(new float[10], 0, new int[] {3}, new int[] {-1}), "view", "negative");
    }

    @Test
    void indicesOutOfRangeNameTheIndexAndTheShape() {
        Tensor t = Tensor.zeros(2, 3);
        throwsMentioning(IndexOutOfBoundsException.class, () -> t.get(2, 0), "[2, 0]", "[2, 3]");
        throwsMentioning(IndexOutOfBoundsException.class, () -> t.get(0, -1), "[0, -1]", "[2, 3]");
        throwsMentioning(IndexOutOfBoundsException.class, () -> t.get(0), "[0]", "rank");
        throwsMentioning(IndexOutOfBoundsException.class, () -> t.set(1f, 0, 3), "[0, 3]");
        throwsMentioning(IndexOutOfBoundsException.class, () -> t.select(1, 3), "select", "3", "[2, 3]");
        throwsMentioning(IndexOutOfBoundsException.class, () -> t.slice(1, 1, 4, 1), "slice", "[1, 4)", "[2, 3]");
        throwsMentioning(IndexOutOfBoundsException.class, () -> t.transpose(0, 2), "transpose", "dim 2", "[2, 3]");
        throwsMentioning(IllegalArgumentException.class, () -> t.slice(0, 0, 2, 0), "slice", "step 0");
    }

    @Test
    void viewsThatCannotExistSayWhy() {
        Tensor t = Tensor.zeros(2, 3);
        throwsMentioning(IllegalArgumentException.class, () -> t.reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        throwsMentioning(IllegalArgumentException.class, () -> t.reshape(-1, 4), "reshape", "-1");
        throwsMentioning(IllegalArgumentException.class, () -> t.t().reshape(6), "reshape", "contiguous()",
                "[3, 2]", "[6]");
        throwsMentioning(IllegalArgumentException.class, () -> t.permute(0, 0), "permute", "[0, 0]");
        throwsMentioning(IllegalArgumentException.class, () -> t.permute(1), "permute", "[1]");
        throwsMentioning(IllegalArgumentException.class, () -> t.expand(4, 3), "expand", "[2, 3]", "[4, 3]");
        throwsMentioning(IllegalArgumentException.class, () -> t.expand(3), "expand", "[2, 3]", "[3]");
        throwsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(3).t(), "t", "[3]");
    }

    @Test
    void copiesCheckShapesAndRefuseBroadcastDestinations() {
        throwsMentioning(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(3, 2)),
                "copyFrom", "[2, 3]", "[3, 2]");
        throwsMentioning(IllegalArgumentException.class,
                () -> Tensor.zeros(1, 3).expand(2, 3).copyFrom(Tensor.zeros(2, 3)), "copyFrom", "broadcast",
                "stride 0");
    }
}
