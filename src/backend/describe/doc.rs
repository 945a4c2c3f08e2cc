//! A small builder for describe documents: fields with nothing in them are left out, so a
//! document shows what is set and no wall of `null`s.

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use serde_json::{Map, Value};

/// A JSON object under construction.
#[derive(Debug, Default)]
pub(crate) struct Obj(Map<String, Value>);

impl Obj {
    pub(crate) fn new() -> Obj {
        Obj::default()
    }

    /// A string field; `None` and empty strings are left out.
    pub(crate) fn str(self, key: &str, value: Option<&str>) -> Obj {
        match value {
            Some(v) if !v.is_empty() => self.val(key, Value::String(v.to_string())),
            _ => self,
        }
    }

    /// A number or bool field, always shown (a count of 0 means something).
    pub(crate) fn num(self, key: &str, value: impl Into<Value>) -> Obj {
        self.val(key, value.into())
    }

    /// An optional number or bool field.
    pub(crate) fn opt<T: Into<Value>>(self, key: &str, value: Option<T>) -> Obj {
        match value {
            Some(v) => self.val(key, v.into()),
            None => self,
        }
    }

    /// A time, as RFC 3339 in UTC.
    pub(crate) fn time(self, key: &str, value: Option<&DateTime>) -> Obj {
        let text = value.and_then(|t| t.fmt(Format::DateTime).ok());
        self.str(key, text.as_deref())
    }

    /// A list of strings; an empty list is left out.
    pub(crate) fn strs(self, key: &str, values: &[String]) -> Obj {
        self.list(key, values, |s| Value::String(s.clone()))
    }

    /// A list mapped item by item; an empty list is left out.
    pub(crate) fn list<T>(self, key: &str, items: &[T], f: impl Fn(&T) -> Value) -> Obj {
        self.val(key, Value::Array(items.iter().map(f).collect()))
    }

    /// Any value; `null`, `[]` and `{}` are left out.
    pub(crate) fn val(mut self, key: &str, value: Value) -> Obj {
        let empty = match &value {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        };
        if !empty {
            self.0.insert(key.to_string(), value);
        }
        self
    }

    pub(crate) fn done(self) -> Value {
        Value::Object(self.0)
    }
}

/// A string map (labels, log options) as an object, keys sorted.
pub(crate) fn string_map<'a>(
    map: Option<impl IntoIterator<Item = (&'a String, &'a String)>>,
) -> Value {
    let mut out = Map::new();
    for (k, v) in map.into_iter().flatten() {
        out.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(out)
}

/// `key`/`value` tags as an object.
pub(crate) fn tags<'a>(pairs: impl Iterator<Item = (Option<&'a str>, Option<&'a str>)>) -> Value {
    let mut out = Map::new();
    for (k, v) in pairs {
        if let Some(k) = k {
            out.insert(
                k.to_string(),
                Value::String(v.unwrap_or_default().to_string()),
            );
        }
    }
    Value::Object(out)
}
