// Modules and launches. A module image for the emulated device is one line of text,
//
//     cebm emulated kernels: /path/to/<family>.so
//
// naming a family's kernels compiled for the host (build.sh writes these images). Loading one
// opens the shared object; its table (kernel_table.h) gives each kernel by name with its
// parameters. Images for a real GPU (fatbins, cubins, PTX) hold no code this device can run.
#include "device.h"
#include "driver.h"
#include "kernel_table.h"

#include <dlfcn.h>
#include <string.h>
#include <memory>

struct Function {
    const EmulatedKernel* kernel;
};

struct Module {
    void* library;
    std::vector<std::unique_ptr<Function>> functions;
};

using namespace driver;

static const char IMAGE_PREFIX[] = "cebm emulated kernels: ";

API CUresult cuModuleLoadData(CUmodule* module, const void* image) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (module == nullptr || image == nullptr) return CUDA_ERROR_INVALID_VALUE;
    const char* text = (const char*) image;
    if (strncmp(text, IMAGE_PREFIX, sizeof IMAGE_PREFIX - 1) != 0) {
        last_report() = "the emulated device runs only host-compiled kernels (an image \"" + std::string(IMAGE_PREFIX)
                + "<shared object>\"), not code for a GPU";
        return CUDA_ERROR_NO_BINARY_FOR_GPU;
    }
    std::string path(text + sizeof IMAGE_PREFIX - 1);
    path = path.substr(0, path.find('\n'));
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    const EmulatedKernel* table = library == nullptr ? nullptr
            : (const EmulatedKernel*) dlsym(library, "cebm_emulated_kernels");
    if (table == nullptr) {
        last_report() = library == nullptr ? dlerror() : path + " has no table cebm_emulated_kernels";
        if (library != nullptr) dlclose(library);
        return CUDA_ERROR_INVALID_IMAGE;
    }
    Module* loaded = new Module{library, {}};
    for (const EmulatedKernel* kernel = table; kernel->name != nullptr; kernel++) {
        loaded->functions.push_back(std::make_unique<Function>(Function{kernel}));
        live<Function>().insert(loaded->functions.back().get());
    }
    live<Module>().insert(loaded);
    *module = loaded;
    return CUDA_SUCCESS;
}

API CUresult cuModuleLoadDataEx(CUmodule* module, const void* image, unsigned int, void*, void**) {
    return cuModuleLoadData(module, image);
}

API CUresult cuModuleUnload(CUmodule module) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!valid(module)) return CUDA_ERROR_INVALID_HANDLE;
    for (auto& function : module->functions) live<Function>().erase(function.get());
    live<Module>().erase(module);
    dlclose(module->library);
    delete module;
    return CUDA_SUCCESS;
}

API CUresult cuModuleGetFunction(CUfunction* function, CUmodule module, const char* name) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (function == nullptr || name == nullptr) return CUDA_ERROR_INVALID_VALUE;
    if (!valid(module)) return CUDA_ERROR_INVALID_HANDLE;
    for (auto& candidate : module->functions) {
        if (strcmp(candidate->kernel->name, name) == 0) {
            *function = candidate.get();
            return CUDA_SUCCESS;
        }
    }
    return CUDA_ERROR_NOT_FOUND;
}

// The limits of compute capability 9.0 (CUDA C++ Programming Guide, "Technical Specifications").
static bool launchable(unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by,
                       unsigned int bz, unsigned int shared) {
    if (gx == 0 || gy == 0 || gz == 0 || bx == 0 || by == 0 || bz == 0) return false;
    if (gx > 2147483647u || gy > 65535 || gz > 65535) return false;
    if (bx > 1024 || by > 1024 || bz > 64 || (unsigned long long) bx * by * bz > 1024) return false;
    return shared <= 48u << 10;
}

API CUresult cuLaunchKernel(CUfunction function, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                            unsigned int by, unsigned int bz, unsigned int shared, CUstream stream, void** params,
                            void** extra) {
    std::lock_guard<std::mutex> guard(lock);
    if (CUresult status = ready()) return status;
    if (!valid(function)) return CUDA_ERROR_INVALID_HANDLE;
    if (extra != nullptr) return CUDA_ERROR_NOT_SUPPORTED;
    if (!launchable(gx, gy, gz, bx, by, bz, shared)) return CUDA_ERROR_INVALID_VALUE;
    const EmulatedKernel& kernel = *function->kernel;
    if (kernel.parameters > 0 && params == nullptr) return CUDA_ERROR_INVALID_VALUE;
    // The driver copies the parameters at the launch (a recording keeps the copies): the caller
    // may reuse its memory as soon as cuLaunchKernel returns.
    std::vector<size_t> offsets;
    std::string bytes;
    for (int i = 0; i < kernel.parameters; i++) {
        offsets.push_back(bytes.size());
        bytes.append((const char*) params[i], kernel.sizes[i]);
        bytes.resize((bytes.size() + 15) / 16 * 16);  // each value aligned as any parameter type needs
    }
    device::Grid grid{gx, gy, gz}, block{bx, by, bz};
    return enqueue(stream, [&kernel, offsets, bytes, grid, block](std::string& report) {
        std::string values = bytes;
        std::vector<void*> pointers;
        for (size_t offset : offsets) pointers.push_back(&values[offset]);
        return (CUresult) device::run(kernel, pointers.data(), grid, block, report);
    });
}
