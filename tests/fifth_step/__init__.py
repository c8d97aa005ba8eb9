"""A made-up fifth step (振り返り), registered by tests to show that a step is one
package plus one entry in kit.pages.STEPS."""
