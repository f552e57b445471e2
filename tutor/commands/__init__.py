"""One module per `tutor` subcommand: ``register(subparsers)`` and ``run(args, settings)``."""
