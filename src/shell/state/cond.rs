//! psql's `\if` / `\elif` / `\else` / `\endif` stack: which branch is running, and whether
//! anything may run at all.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Branch {
    /// This branch runs.
    True,
    /// Not yet: a later `\elif`/`\else` may run.
    False,
    /// An earlier branch ran; the rest are skipped.
    Done,
    /// Inside a skipped branch: nothing in this `\if` runs.
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Frame {
    branch: Branch,
    seen_else: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Conditionals {
    stack: Vec<Frame>,
}

impl Conditionals {
    /// Whether statements and commands run here.
    pub fn active(&self) -> bool {
        self.stack.last().is_none_or(|f| f.branch == Branch::True)
    }

    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// `\if`; `value` is only asked for when the expression would be evaluated.
    pub fn push_if(&mut self, value: impl FnOnce() -> bool) {
        let branch = if !self.active() {
            Branch::Ignored
        } else if value() {
            Branch::True
        } else {
            Branch::False
        };
        self.stack.push(Frame {
            branch,
            seen_else: false,
        });
    }

    /// `\elif`; `value` is only asked for when no earlier branch ran.
    pub fn elif(&mut self, value: impl FnOnce() -> bool) -> Result<(), &'static str> {
        let Some(f) = self.stack.last_mut() else {
            return Err("\\elif: no matching \\if");
        };
        if f.seen_else {
            return Err("\\elif: cannot occur after \\else");
        }
        f.branch = match f.branch {
            Branch::True | Branch::Done => Branch::Done,
            Branch::False if value() => Branch::True,
            Branch::False => Branch::False,
            Branch::Ignored => Branch::Ignored,
        };
        Ok(())
    }

    pub fn else_(&mut self) -> Result<(), &'static str> {
        let Some(f) = self.stack.last_mut() else {
            return Err("\\else: no matching \\if");
        };
        if f.seen_else {
            return Err("\\else: cannot occur after \\else");
        }
        f.seen_else = true;
        f.branch = match f.branch {
            Branch::False => Branch::True,
            Branch::True | Branch::Done => Branch::Done,
            Branch::Ignored => Branch::Ignored,
        };
        Ok(())
    }

    pub fn endif(&mut self) -> Result<(), &'static str> {
        self.stack
            .pop()
            .map(|_| ())
            .ok_or("\\endif: no matching \\if")
    }

    /// Whether an `\elif` expression would be evaluated now.
    pub fn elif_evaluates(&self) -> bool {
        self.stack.last().is_some_and(|f| f.branch == Branch::False)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_branch_runs_and_nested_skipped_ifs_are_not_evaluated() {
        let mut c = Conditionals::default();
        c.push_if(|| false);
        assert!(!c.active());
        c.push_if(|| panic!("evaluated inside a skipped branch"));
        c.else_().unwrap();
        assert!(!c.active());
        c.endif().unwrap();
        c.elif(|| true).unwrap();
        assert!(c.active());
        c.else_().unwrap();
        assert!(!c.active());
        assert!(c.elif(|| true).is_err());
        c.endif().unwrap();
        assert!(c.active());
        assert!(c.endif().is_err());
    }
}
