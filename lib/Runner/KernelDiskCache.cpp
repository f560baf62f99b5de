//===- KernelDiskCache.cpp - GEMM kernels' machine code on disk ------------===//
//
// Part of the ein project: differentiable einsum on MLIR.
//
//===----------------------------------------------------------------------===//

#include "KernelDiskCache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

using namespace mlir;
using namespace mlir::ein;

/// A file: this magic line, the key's and the object's sizes and the
/// object's hash (three little-endian 64-bit words), the key, the object.
static constexpr llvm::StringLiteral kMagic = "ein-kernel-object 1\n";
static constexpr size_t kHeaderSize = kMagic.size() + 3 * 8;

std::string mlir::ein::kernelCacheDirectory() {
  if (const char *dir = std::getenv("EIN_KERNEL_CACHE_DIR"); dir && *dir)
    return dir;
  llvm::SmallString<256> path;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    llvm::sys::path::append(path, xdg, "ein", "kernels");
  else if (const char *home = std::getenv("HOME"); home && *home)
    llvm::sys::path::append(path, home, ".cache", "ein", "kernels");
  return std::string(path);
}

const std::string &mlir::ein::einBinaryPath() {
  static const std::string path = [] {
    Dl_info info;
    if (!dladdr(reinterpret_cast<void *>(&einBinaryPath), &info) ||
        !info.dli_fname)
      return std::string();
    return std::string(info.dli_fname);
  }();
  return path;
}

std::string mlir::ein::bundledKernelDirectory() {
  if (const char *value = std::getenv("EIN_KERNEL_BUNDLE");
      value && std::strcmp(value, "0") == 0)
    return "";
  llvm::SmallString<256> path(einBinaryPath());
  if (path.empty())
    return "";
  llvm::sys::fs::make_absolute(path);
  llvm::sys::path::remove_filename(path);
  llvm::sys::path::append(path, "ein-kernels");
  return std::string(path);
}

static std::string fileOf(llvm::StringRef directory, uint64_t hash) {
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, llvm::utohexstr(hash, /*LowerCase=*/true,
                                                /*Width=*/16) +
                                    ".o");
  return std::string(path);
}

static uint64_t readWord(const char *at) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i)
    value = value << 8 | uint8_t(at[i]);
  return value;
}

static void writeWord(llvm::raw_ostream &os, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    os << char(value >> (8 * i) & 0xff);
}

std::unique_ptr<llvm::MemoryBuffer>
mlir::ein::loadKernelObject(llvm::StringRef directory, llvm::StringRef key,
                            uint64_t hash) {
  auto file = llvm::MemoryBuffer::getFile(fileOf(directory, hash),
                                          /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return nullptr;
  llvm::StringRef data = (*file)->getBuffer();
  if (data.size() < kHeaderSize || !data.starts_with(kMagic))
    return nullptr;
  const char *words = data.data() + kMagic.size();
  uint64_t keySize = readWord(words), objectSize = readWord(words + 8);
  uint64_t objectHash = readWord(words + 16);
  if (keySize != key.size() ||
      objectSize != data.size() - kHeaderSize - keySize ||
      data.substr(kHeaderSize, keySize) != key)
    return nullptr;
  llvm::StringRef object = data.substr(kHeaderSize + keySize);
  if (llvm::xxh3_64bits(object) != objectHash)
    return nullptr;
  return llvm::MemoryBuffer::getMemBufferCopy(object, "ein-kernel");
}

void mlir::ein::storeKernelObject(llvm::StringRef directory,
                                  llvm::StringRef key, uint64_t hash,
                                  llvm::StringRef object) {
  if (llvm::sys::fs::create_directories(directory))
    return;
  llvm::SmallString<256> model(directory);
  llvm::sys::path::append(model, "tmp-%%%%%%%%%%%%");
  int fd;
  llvm::SmallString<256> temporary;
  if (llvm::sys::fs::createUniqueFile(model, fd, temporary))
    return;
  bool ok;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << kMagic;
    writeWord(os, key.size());
    writeWord(os, object.size());
    writeWord(os, llvm::xxh3_64bits(object));
    os << key << object;
    os.close();
    ok = !os.has_error();
    os.clear_error();
  }
  if (!ok || llvm::sys::fs::rename(temporary, fileOf(directory, hash)))
    llvm::sys::fs::remove(temporary);
}
