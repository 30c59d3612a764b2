package cebm.kernels;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/** A CUDA driver call that failed: which call, and the driver's name for the error. */
final class CudaException extends RuntimeException {
    CudaException(String message) {
        super(message);
    }

    /**
     * Throws unless {@code status} is CUDA_SUCCESS. The message adds the driver's description of
     * the error (the emulated device's says which kernel, block and thread failed, and where).
     */
    static void check(int status, String call) {
        if (status != CUresult.CUDA_SUCCESS) {
            String[] description = {null};
            String name = CUresult.stringFor(status);
            boolean described = JCudaDriver.cuGetErrorString(status, description) == CUresult.CUDA_SUCCESS
                    && description[0] != null && !description[0].equals(name);
            throw new CudaException(call + " failed: " + name + (described ? " (" + description[0] + ")" : ""));
        }
    }
}
