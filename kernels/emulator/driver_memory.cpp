// Device memory: allocation, free, copies and memsets. Device addresses are host addresses
// (memory.cpp), so a copy is a memcpy once the range is checked to lie inside one allocation.
#include "driver.h"
#include "memory.h"

#include <string.h>

using namespace driver;

API CUresult cuMemAlloc_v2(CUdeviceptr* address, size_t bytes) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (address == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (strict_capture()) return CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED;
    uintptr_t start;
    CUresult status = memory::allocate(bytes, &start);
    if (status == CUDA_SUCCESS) *address = start;
    return status;
}

// cuMemFree waits for the device: during a recording that is an implicit synchronisation with
// the recorded stream, which ends the recording's validity.
API CUresult cuMemFree_v2(CUdeviceptr address) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (capturing()) return break_captures(CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED);
    return memory::release(address);
}

API CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (free == nullptr || total == nullptr) return CUDA_ERROR_INVALID_VALUE;
    *total = memory::capacity();
    *free = memory::capacity() - memory::used();
    return CUDA_SUCCESS;
}

// A synchronous copy runs on the legacy default stream and waits for it (the error of earlier
// work is its answer).
static CUresult copy_now(void* to, const void* from, size_t bytes) {
    CUresult status = enqueue(nullptr, [=](std::string&) {
        memcpy(to, from, bytes);
        return CUDA_SUCCESS;
    });
    return status != CUDA_SUCCESS ? status : take_pending_error();
}

static CUresult copy_later(void* to, const void* from, size_t bytes, CUstream stream) {
    return enqueue(stream, [=](std::string&) {
        memcpy(to, from, bytes);
        return CUDA_SUCCESS;
    });
}

API CUresult cuMemcpyHtoD_v2(CUdeviceptr to, const void* from, size_t bytes) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!memory::inside(to, bytes) || from == nullptr) return CUDA_ERROR_INVALID_VALUE;
    return copy_now((void*) to, from, bytes);
}

API CUresult cuMemcpyDtoH_v2(void* to, CUdeviceptr from, size_t bytes) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!memory::inside(from, bytes) || to == nullptr) return CUDA_ERROR_INVALID_VALUE;
    return copy_now(to, (const void*) from, bytes);
}

API CUresult cuMemcpyDtoD_v2(CUdeviceptr to, CUdeviceptr from, size_t bytes) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!memory::inside(to, bytes) || !memory::inside(from, bytes)) return CUDA_ERROR_INVALID_VALUE;
    return copy_now((void*) to, (const void*) from, bytes);
}

API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr to, const void* from, size_t bytes, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!memory::inside(to, bytes) || from == nullptr) return CUDA_ERROR_INVALID_VALUE;
    return copy_later((void*) to, from, bytes, stream);
}

API CUresult cuMemcpyDtoHAsync_v2(void* to, CUdeviceptr from, size_t bytes, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!memory::inside(from, bytes) || to == nullptr) return CUDA_ERROR_INVALID_VALUE;
    return copy_later(to, (const void*) from, bytes, stream);
}

API CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr to, CUdeviceptr from, size_t bytes, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!memory::inside(to, bytes) || !memory::inside(from, bytes)) return CUDA_ERROR_INVALID_VALUE;
    return copy_later((void*) to, (const void*) from, bytes, stream);
}

// cuMemsetD8/D16/D32: `count` elements of 1, 2 or 4 bytes set to `value`.
template <class T>
static CUresult memset_on(CUdeviceptr to, T value, size_t count, CUstream stream, bool wait) {
    if (CUresult status = ready()) return status;
    if (!memory::inside(to, count * sizeof(T))) return CUDA_ERROR_INVALID_VALUE;
    CUresult status = enqueue(stream, [=](std::string&) {
        for (size_t i = 0; i < count; i++) memcpy((char*) to + i * sizeof(T), &value, sizeof(T));
        return CUDA_SUCCESS;
    });
    return status != CUDA_SUCCESS || !wait ? status : take_pending_error();
}

API CUresult cuMemsetD8_v2(CUdeviceptr to, unsigned char value, size_t count) {
    std::lock_guard<std::mutex> guard(lock);
    return memset_on(to, value, count, nullptr, true);
}

API CUresult cuMemsetD16_v2(CUdeviceptr to, unsigned short value, size_t count) {
    std::lock_guard<std::mutex> guard(lock);
    return memset_on(to, value, count, nullptr, true);
}

API CUresult cuMemsetD32_v2(CUdeviceptr to, unsigned int value, size_t count) {
    std::lock_guard<std::mutex> guard(lock);
    return memset_on(to, value, count, nullptr, true);
}

API CUresult cuMemsetD8Async(CUdeviceptr to, unsigned char value, size_t count, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    return memset_on(to, value, count, stream, false);
}

API CUresult cuMemsetD16Async(CUdeviceptr to, unsigned short value, size_t count, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    return memset_on(to, value, count, stream, false);
}

API CUresult cuMemsetD32Async(CUdeviceptr to, unsigned int value, size_t count, CUstream stream) {
    std::lock_guard<std::mutex> guard(lock);
    return memset_on(to, value, count, stream, false);
}
