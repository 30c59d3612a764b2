package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.RandomStream;
import cebm.tensor.Tensor;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@GpuTest
class MemoryKernelsTest {
    private final Backend cuda = new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(11);

    @Test
    void roundTripThroughTheDeviceIsExact() {
        for (int[] shape : new int[][] {{1}, {7}, {3, 5}, {2, 3, 4, 5}, {1, 1, 28, 28}}) {
            Tensor host = random.uniform(CpuBackend.INSTANCE, -1f, 1f, shape);
            assertArrayEquals(host.toArray(), host.to(cuda).toArray(), "shape " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void fillWritesEveryElement() {
        Tensor t = cuda.full(2.5f, 3, 1000, 7);
        for (float v : t.toArray()) assertEquals(2.5f, v);
    }

    @Test
    void viewsAreCopiedDenseLikeOnTheCpu() {
        Tensor host = random.uniform(CpuBackend.INSTANCE, -1f, 1f, 4, 3, 5, 6);
        Tensor device = host.to(cuda);
        Compare.close("permute", host.permute(2, 0, 3, 1).contiguous(), device.permute(2, 0, 3, 1).contiguous(), 0);
        Compare.close("slice", host.slice(1, 3).contiguous(), device.slice(1, 3).contiguous(), 0);
        Tensor column = random.uniform(CpuBackend.INSTANCE, -1f, 1f, 5, 1);
        Compare.close("expand", column.expand(5, 9).contiguous(), column.to(cuda).expand(5, 9).contiguous(), 0);
    }

    @Test
    void readFindsOneElement() {
        Tensor host = random.uniform(CpuBackend.INSTANCE, -1f, 1f, 17);
        Tensor device = host.to(cuda);
        assertEquals(host.get(13), device.get(13));
    }
}
