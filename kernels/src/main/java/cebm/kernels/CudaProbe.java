package cebm.kernels;

import cebm.tensor.BackendProvider.Availability;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides once whether the CUDA backend can run here, and says why not in one line: the JCuda
 * natives and the driver (libcuda.so.1), a device, our compiled kernels, and, as optional extras,
 * cuBLAS. Expected absences (no driver, no GPU, a build without nvcc) are answers, not stack traces.
 */
final class CudaProbe {
    private CudaProbe() {}

    /** The probe's answer, and the context it opened when the answer is "usable". */
    record Result(Availability availability, CudaContext context) {}

    private static Result result;

    static synchronized Result result() {
        if (result == null) result = probe();
        return result;
    }

    // region probe (quoted in docs/cuda-kernels.md)
    private static Result probe() {
        List<String> details = new ArrayList<>();
        try {
            JCudaDriver.setExceptionsEnabled(false);
            int status = JCudaDriver.cuInit(0);
            if (status != CUresult.CUDA_SUCCESS) {
                return absent("cuda: the driver did not start (" + CUresult.stringFor(status) + ")", details);
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return absent("cuda: no CUDA driver here (" + reason(e) + ")", details);
        }
        String gpu;
        CUdevice device = new CUdevice();
        int major, minor;
        try {
            int[] count = {0};
            CudaException.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
            if (count[0] == 0) return absent("cuda: the driver found no GPU", details);
            CudaException.check(JCudaDriver.cuDeviceGet(device, 0), "cuDeviceGet");
            major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            int[] driver = {0};
            CudaException.check(JCudaDriver.cuDriverGetVersion(driver), "cuDriverGetVersion");
            gpu = deviceName(device) + ", compute capability " + major + "." + minor
                    + ", driver API " + driver[0] / 1000 + "." + driver[0] % 1000 / 10;
        } catch (CudaException e) {
            return absent("cuda: " + e.getMessage(), details);
        }
        details.add("device 0: " + gpu);
        if (major * 10 + minor < 75) {
            return absent("cuda: " + gpu + " is older than the kernels' minimum, compute capability 7.5", details);
        }
        List<String> missing = KernelModule.missingImages();
        if (!missing.isEmpty()) {
            return absent("cuda: the kernels were not compiled into this build (nvcc was absent when it was built; missing "
                    + String.join(", ", missing) + ")", details);
        }
        CudaContext context;
        try {
            context = new CudaContext(device);
        } catch (CudaException e) {
            return absent("cuda: " + e.getMessage(), details);
        }
        details.add("kernels: " + String.join(", ", KernelModule.FAMILIES) + " loaded");
        details.add("cuBLAS: " + cublasStatus());
        return new Result(new Availability(true, "cuda: " + gpu, List.copyOf(details)), context);
    }
    // endregion

    /**
     * JCublas 12.6 links libcublas.so.12 by name and its versioned symbols, so on a CUDA 13 machine
     * (libcublas.so.13 only) it cannot load; our own SGEMM is then used, and this line says so.
     */
    static String cublasStatus() {
        try {
            cublasHandle handle = new cublasHandle();
            JCublas2.setExceptionsEnabled(false);
            int status = JCublas2.cublasCreate(handle);
            if (status != 0) return "not used (cublasCreate failed with status " + status + "); our SGEMM kernel runs instead";
            JCublas2.cublasDestroy(handle);
            return "loads (libcublas.so.12), but matmul uses our SGEMM kernel";
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "not used (" + reason(e) + "); our SGEMM kernel runs instead";
        }
    }

    // region absent (quoted in docs/cuda-kernels.md)
    private static Result absent(String summary, List<String> details) {
        return new Result(new Availability(false, summary + "; use --device cpu", List.copyOf(details)), null);
    }
    // endregion

    private static int attribute(CUdevice device, int attribute) {
        int[] value = {0};
        CudaException.check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute");
        return value[0];
    }

    private static String deviceName(CUdevice device) {
        byte[] name = new byte[256];
        CudaException.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) end++;
        return new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static final java.util.regex.Pattern MISSING_LIBRARY =
            java.util.regex.Pattern.compile("([\\w.+-]+\\.so[.\\d]*): cannot open shared object file");

    /**
     * Why a native library did not load, in a few words. JCuda's message is a page of nested stack
     * traces; the useful part is the system library that was missing, such as libcuda.so.1.
     */
    private static String reason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        var missing = MISSING_LIBRARY.matcher(m);
        if (missing.find()) return missing.group(1) + " not found";
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
