// Initialisation, the one device, contexts, versions and error strings.
#include "device.h"
#include "driver.h"
#include "memory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct Context {
    CUdevice device;
};

namespace driver {

std::mutex lock;

namespace {
bool initialized = false;
// The context current on each host thread (cuCtxSetCurrent).
thread_local Context* current = nullptr;
Context primary{0};
}  // namespace

CUresult ready() {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    return current == nullptr ? CUDA_ERROR_INVALID_CONTEXT : CUDA_SUCCESS;
}

}  // namespace driver

using namespace driver;

// Whether a debugger is attached to this process (Linux: the TracerPid line of /proc/self/status).
static bool traced() {
    FILE* status = fopen("/proc/self/status", "r");
    if (status == nullptr) return false;
    char line[256];
    int tracer = 0;
    while (fgets(line, sizeof line, status) != nullptr) {
        if (sscanf(line, "TracerPid: %d", &tracer) == 1) break;
    }
    fclose(status);
    return tracer != 0;
}

// CEBM_EMULATOR_WAIT=1 makes the first cuInit wait for a debugger, so that one can attach to the
// test's JVM and stop in a kernel (docs/cuda-kernels.md, "Stepping through a kernel").
static void wait_for_debugger() {
    const char* wait = getenv("CEBM_EMULATOR_WAIT");
    if (wait == nullptr || strcmp(wait, "1") != 0) return;
    fprintf(stderr, "emulated CUDA device: waiting for a debugger: gdb -p %d\n", (int) getpid());
    while (!traced()) usleep(100000);
}

API CUresult cuInit(unsigned int flags) {
    std::lock_guard<std::mutex> guard(lock);
    if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
    if (!initialized) {
        wait_for_debugger();
        device::install_fault_handler();
        live<Context>().insert(&primary);
        initialized = true;
    }
    return CUDA_SUCCESS;
}

// The version of the driver API that JCuda 12.6 was built for.
API CUresult cuDriverGetVersion(int* version) {
    if (version == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *version = 12060;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetCount(int* count) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (count == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *count = 1;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (ordinal != 0) return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
}

// The name says what it is: cebm's info, test reports and logs print it.
API CUresult cuDeviceGetName(char* name, int length, CUdevice device) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (name == nullptr || length <= 0) return CUDA_ERROR_INVALID_VALUE;
    snprintf(name, (size_t) length, "emulated device (cebm's kernels compiled for the host CPU)");
    return CUDA_SUCCESS;
}

// An H200's limits (compute capability 9.0, 132 SMs), which the launches are sized for.
API CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice device) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (value == nullptr) return CUDA_ERROR_INVALID_VALUE;
    switch (attribute) {
        case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK: *value = 1024; break;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X: *value = 1024; break;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y: *value = 1024; break;
        case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z: *value = 64; break;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X: *value = 2147483647; break;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y: *value = 65535; break;
        case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z: *value = 65535; break;
        case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK: *value = 48 << 10; break;
        case CU_DEVICE_ATTRIBUTE_WARP_SIZE: *value = 32; break;
        case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: *value = 132; break;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: *value = 9; break;
        case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: *value = 0; break;
        default: *value = 0;
    }
    return CUDA_SUCCESS;
}

API CUresult cuDeviceComputeCapability(int* major, int* minor, CUdevice device) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (major == nullptr || minor == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *major = 9;
    *minor = 0;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice device) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (bytes == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *bytes = memory::capacity();
    return CUDA_SUCCESS;
}

// ---- contexts ----

API CUresult cuDevicePrimaryCtxRetain(CUcontext* context, CUdevice device) {
    std::lock_guard<std::mutex> guard(lock);
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (context == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *context = &primary;
    return CUDA_SUCCESS;
}

API CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    return device == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

API CUresult cuCtxCreate_v2(CUcontext* context, unsigned int, CUdevice device) {
    std::lock_guard<std::mutex> guard(lock);
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (device != 0) return CUDA_ERROR_INVALID_DEVICE;
    if (context == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *context = new Context{device};
    live<Context>().insert(*context);
    current = *context;
    return CUDA_SUCCESS;
}

API CUresult cuCtxDestroy_v2(CUcontext context) {
    std::lock_guard<std::mutex> guard(lock);
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (context == &primary || !valid(context)) return CUDA_ERROR_INVALID_CONTEXT;
    live<Context>().erase(context);
    if (current == context) current = nullptr;
    delete context;
    return CUDA_SUCCESS;
}

API CUresult cuCtxSetCurrent(CUcontext context) {
    std::lock_guard<std::mutex> guard(lock);
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (context != nullptr && !valid(context)) return CUDA_ERROR_INVALID_CONTEXT;
    current = context;
    return CUDA_SUCCESS;
}

API CUresult cuCtxGetCurrent(CUcontext* context) {
    if (!initialized) return CUDA_ERROR_NOT_INITIALIZED;
    if (context == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *context = current;
    return CUDA_SUCCESS;
}

API CUresult cuCtxGetDevice(CUdevice* device) {
    if (CUresult status = ready()) return status;
    if (device == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *device = current->device;
    return CUDA_SUCCESS;
}

// ---- errors ----

static const char* error_name(CUresult error) {
    switch (error) {
        case CUDA_SUCCESS: return "CUDA_SUCCESS";
        case CUDA_ERROR_INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
        case CUDA_ERROR_OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
        case CUDA_ERROR_NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
        case CUDA_ERROR_NO_DEVICE: return "CUDA_ERROR_NO_DEVICE";
        case CUDA_ERROR_INVALID_DEVICE: return "CUDA_ERROR_INVALID_DEVICE";
        case CUDA_ERROR_INVALID_IMAGE: return "CUDA_ERROR_INVALID_IMAGE";
        case CUDA_ERROR_INVALID_CONTEXT: return "CUDA_ERROR_INVALID_CONTEXT";
        case CUDA_ERROR_NO_BINARY_FOR_GPU: return "CUDA_ERROR_NO_BINARY_FOR_GPU";
        case CUDA_ERROR_INVALID_HANDLE: return "CUDA_ERROR_INVALID_HANDLE";
        case CUDA_ERROR_ILLEGAL_STATE: return "CUDA_ERROR_ILLEGAL_STATE";
        case CUDA_ERROR_NOT_FOUND: return "CUDA_ERROR_NOT_FOUND";
        case CUDA_ERROR_NOT_READY: return "CUDA_ERROR_NOT_READY";
        case CUDA_ERROR_ILLEGAL_ADDRESS: return "CUDA_ERROR_ILLEGAL_ADDRESS";
        case CUDA_ERROR_LAUNCH_FAILED: return "CUDA_ERROR_LAUNCH_FAILED";
        case CUDA_ERROR_NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
        case CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED: return "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED";
        case CUDA_ERROR_STREAM_CAPTURE_INVALIDATED: return "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED";
        case CUDA_ERROR_STREAM_CAPTURE_UNMATCHED: return "CUDA_ERROR_STREAM_CAPTURE_UNMATCHED";
        case CUDA_ERROR_STREAM_CAPTURE_IMPLICIT: return "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT";
        default: return nullptr;
    }
}

API CUresult cuGetErrorName(CUresult error, const char** name) {
    if (name == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *name = error_name(error);
    return *name == nullptr ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

// The real driver's descriptions; a kernel's failure also says where it happened (the last
// report: kernel, block, thread, address).
API CUresult cuGetErrorString(CUresult error, const char** text) {
    static std::string detailed;
    if (text == nullptr) return CUDA_ERROR_INVALID_VALUE;
    switch (error) {
        case CUDA_ERROR_ILLEGAL_ADDRESS: detailed = "an illegal memory access was encountered"; break;
        case CUDA_ERROR_LAUNCH_FAILED: detailed = "unspecified launch failure"; break;
        case CUDA_ERROR_INVALID_IMAGE: detailed = "device kernel image is invalid"; break;
        default: {
            const char* name = error_name(error);
            if (name == nullptr) return CUDA_ERROR_INVALID_VALUE;
            *text = name;
            return CUDA_SUCCESS;
        }
    }
    std::lock_guard<std::mutex> guard(lock);
    if (!last_report().empty()) detailed += ": " + last_report();
    *text = detailed.c_str();
    return CUDA_SUCCESS;
}
