// `blogtrace serve <name>`: runs one process of the system alone (for pm2, systemd, containers,
// and the launcher's children).
#pragma once

#include <string_view>

#include "common/config.h"

namespace blogtrace::cli {

// The names `serve` accepts.
inline constexpr std::string_view kServeNames[] = {"user", "authen", "author", "blog", "collector"};

// Runs process `name`; returns its exit code (2 for an unknown name).
int Serve(std::string_view name, const SystemConfig& config);

}  // namespace blogtrace::cli
