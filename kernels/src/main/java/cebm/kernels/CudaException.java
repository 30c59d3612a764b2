package cebm.kernels;

import jcuda.driver.CUresult;

/** A CUDA driver call that failed: which call, and the driver's name for the error. */
final class CudaException extends RuntimeException {
    CudaException(String message) {
        super(message);
    }

    /** Throws unless {@code status} is CUDA_SUCCESS. */
    static void check(int status, String call) {
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + CUresult.stringFor(status));
        }
    }
}
