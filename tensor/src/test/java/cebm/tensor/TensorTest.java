package cebm.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {
    private static Tensor range(int... shape) {
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return Tensors.of(v, shape);
    }

    @Test
    void viewsShareStorageWithoutCopying() {
        Tensor x = range(2, 3, 4);
        assertSame(x.storage(), x.reshape(6, 4).storage());
        assertSame(x.storage(), x.permute(2, 0, 1).storage());
        assertSame(x.storage(), x.slice(1, 2).storage());
        assertSame(x, x.contiguous());
    }

    @Test
    void transposeAndPermuteReadTheRightElements() {
        Tensor x = range(2, 3);
        Tensor t = x.transpose(0, 1);
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertFalse(t.isContiguous());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toArray());
        Tensor nhwc = range(1, 2, 2, 3).permute(0, 3, 1, 2); // channels-last storage viewed as NCHW
        assertEquals(range(1, 2, 2, 3).get(0, 1, 0, 2), nhwc.get(0, 2, 1, 0));
        assertArrayEquals(t.toArray(), t.contiguous().toArray());
        assertTrue(t.contiguous().isContiguous());
    }

    @Test
    void reshapeOfANonContiguousViewCopies() {
        Tensor t = range(2, 3).transpose(0, 1);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.reshape(6).toArray());
        assertArrayEquals(new int[] {3, 2}, range(6).reshape(-1, 2).shape());
        assertThrows(IllegalArgumentException.class, () -> range(6).reshape(4, -1));
    }

    @Test
    void sliceAlongTheBatchDimension() {
        Tensor x = range(4, 2);
        assertArrayEquals(new float[] {2, 3, 4, 5}, x.slice(1, 3).toArray());
        assertArrayEquals(new int[] {0, 2}, x.slice(2, 2).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.slice(3, 5));
        assertTrue(e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    @Test
    void broadcastingOnEdgeShapes() {
        Tensor a = range(2, 1, 3), b = range(4, 1);
        Tensor c = Ops.add(a, b);
        assertArrayEquals(new int[] {2, 4, 3}, c.shape());
        assertEquals(a.get(1, 0, 2) + b.get(3, 0), c.get(1, 3, 2));
        assertArrayEquals(new int[] {1, 1}, Ops.mul(range(1, 1), Tensors.scalar(2f)).shape());
        assertArrayEquals(new float[] {0, 2, 4}, Ops.mul(range(3), Tensors.scalar(2f)).toArray());
        assertArrayEquals(new float[] {0, 0, 1, 1}, range(2, 1).expand(2, 2).toArray(), "expand uses stride 0");
        Tensor t = range(3, 2).transpose(0, 1); // non-contiguous operand
        assertArrayEquals(new float[] {0, 3, 6, 1, 4, 7}, Ops.add(t, range(3)).toArray());
    }

    @Test
    void mismatchedShapesNameTheOpAndTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ops.add(range(2, 3), range(4)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.matmul(range(2, 3), range(2, 3)));
        assertTrue(e.getMessage().startsWith("matmul") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.conv2d(range(1, 3, 8, 8), range(4, 2, 3, 3), null, 1, 1));
        assertTrue(e.getMessage().startsWith("conv2d") && e.getMessage().contains("3 channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.conv2d(range(1, 1, 2, 2), range(1, 1, 4, 4), null, 1, 0));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Ops.linear(range(2, 3), range(4, 2), null));
        assertTrue(e.getMessage().startsWith("linear"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ops.sum(range(2, 2), 2));
    }

    @Test
    void reductions() {
        Tensor x = range(2, 3);
        assertArrayEquals(new float[] {3, 5, 7}, Ops.sum(x, 0).toArray());
        assertArrayEquals(new float[] {3, 12}, Ops.sum(x, 1).toArray());
        assertEquals(15f, Ops.sum(x).item());
        assertArrayEquals(new int[] {2, 1}, Ops.sumKeepDims(x, 1).shape());
        assertArrayEquals(new float[] {2, 5}, Ops.max(x, 1).toArray());
        assertArrayEquals(new float[] {2, 2}, Ops.argmax(x, 1).toArray());
        assertArrayEquals(new float[] {2.5f}, Ops.mean(range(1, 6)).toArray());
        assertEquals(7f, Ops.sum(range(1, 1, 1).reshape(1), 0).item() + 7f);
    }

    @Test
    void logSumExpAndSoftmaxAreStableForLargeInputs() {
        Tensor x = Tensors.of(new float[] {1000f, 1000f, -1000f}, 1, 3);
        assertEquals(1000f + (float) Math.log(2), Ops.logSumExp(x, 1).item(), 1e-3f);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0f}, Ops.softmax(x, 1).toArray(), 1e-6f);
    }

    @Test
    void matmulPlainBatchedAndTransposedOperands() {
        Tensor a = range(2, 3), b = range(3, 2);
        assertArrayEquals(new float[] {10, 13, 28, 40}, Ops.matmul(a, b).toArray());
        assertArrayEquals(Ops.matmul(a, b).toArray(), Ops.matmul(a, b.transpose(0, 1).contiguous().transpose(0, 1)).toArray());
        Tensor batched = Ops.matmul(range(2, 2, 3), range(2, 3, 2));
        assertArrayEquals(new float[] {10, 13, 28, 40}, batched.slice(0, 1).toArray());
        assertArrayEquals(new int[] {1, 1}, Ops.matmul(range(1, 3), range(3, 1)).shape());
    }

    @Test
    void conv2dOfAKnownKernel() {
        // A 2×2 box filter with stride 2 sums each 2×2 block: [[0+1+4+5, 2+3+6+7], [8+9+12+13, ...]].
        Tensor x = range(1, 1, 4, 4), w = Tensors.ones(1, 1, 2, 2);
        assertArrayEquals(new float[] {10, 18, 42, 50}, Ops.conv2d(x, w, Tensors.zeros(1), 2, 0).toArray());
        // padding 1 with a 3×3 box: the corner sees only 4 pixels, 0+1+4+5 = 10 (+ bias 1)
        Tensor padded = Ops.conv2d(x, Tensors.ones(1, 1, 3, 3), Tensors.ones(1), 1, 1);
        assertEquals(11f, padded.get(0, 0, 0, 0));
        assertArrayEquals(new int[] {1, 1, 4, 4}, padded.shape());
    }

    @Test
    void errorsForUnsuitableElementAccess() {
        assertThrows(IndexOutOfBoundsException.class, () -> range(2, 2).get(2, 0));
        assertThrows(IllegalStateException.class, () -> range(2).item());
        assertThrows(IllegalArgumentException.class, () -> Tensors.of(new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> range(2, 2).permute(0, 0));
    }
}
