# blogtrace_target_defaults(<target>): the project's warning flags and include root.
# Every project target calls this so the tree stays warning-free under -Wall -Wextra.
function(blogtrace_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
  else()
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  endif()
endfunction()
