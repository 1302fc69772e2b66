"""The packet.  ``builder`` is the recipe and the names callers use; its steps
live in ``plan`` (every page's place), ``pages`` (what the drawn pages say) and
``draw`` (their layout), ``write`` (the output files) over ``source`` (reading
stored PDFs); ``sizes`` estimates for splitting, ``editions`` and ``recode``
make the e-filing, e-mail and print editions; ``integrity`` the sidecar."""
